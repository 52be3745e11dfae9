using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Skynet.Generators
{
    /// <summary>
    /// Emits, for every <c>[Packable]</c> partial type: a codec in MemoryPack's layout (<c>IPackable&lt;T&gt;</c>,
    /// version-tolerant by default) and a deep copier (<c>IDeepCopyable&lt;T&gt;</c>).
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed partial class PackableGenerator : IIncrementalGenerator
    {
        /// <summary>Tracking name of the step that builds packable models.</summary>
        public const string PackableModelStep = "PackableModels";

        /// <inheritdoc/>
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var packables = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    "Skynet.PackableAttribute",
                    static (node, _) => node is TypeDeclarationSyntax,
                    static (ctx, ct) => Parser.Parse(ctx, ct))
                .WithTrackingName(PackableModelStep);

            context.RegisterSourceOutput(packables, static (spc, model) => Emitter.Emit(spc, model));
        }
    }
}
