using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Skynet.Generators
{
    /// <summary>
    /// Emits, for every <c>[Service]</c> partial class: the typed proxy views (<c>Post</c>/<c>Req</c>), the typed
    /// <c>Snax</c> factories, the dispatch table on <c>PType.Snax</c>, hot-fixable slots and the request/result codecs.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed partial class ServiceGenerator : IIncrementalGenerator
    {
        /// <summary>Tracking name of the step that builds service models.</summary>
        public const string ServiceModelStep = "ServiceModels";

        /// <inheritdoc/>
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var services = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    "Skynet.ServiceAttribute",
                    static (node, _) => node is ClassDeclarationSyntax,
                    static (ctx, ct) => Parser.Parse(ctx, ct))
                .WithTrackingName(ServiceModelStep);

            context.RegisterSourceOutput(services, static (spc, model) => Emitter.Emit(spc, model));
            context.RegisterSourceOutput(services, static (spc, model) => LuaEmitter.Emit(spc, model));
        }
    }
}
