using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Skynet.Generators
{
    /// <summary>
    /// Emits a deep copier (<c>IDeepCopyable&lt;T&gt;</c>) for every <c>[MemoryPackable]</c> type of a project that
    /// references Skynet.Runtime, so in-process snax calls copy mutable messages without bytes. MemoryPack's own
    /// generator writes the type's wire format; this one never does.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed partial class CopierGenerator : IIncrementalGenerator
    {
        /// <summary>Tracking name of the step that builds copier models.</summary>
        public const string CopierModelStep = "CopierModels";

        /// <inheritdoc/>
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var copiers = context.SyntaxProvider
                .ForAttributeWithMetadataName(
                    "MemoryPack.MemoryPackableAttribute",
                    static (node, _) => node is TypeDeclarationSyntax,
                    static (ctx, ct) => Parser.Parse(ctx, ct))
                .WithTrackingName(CopierModelStep);

            context.RegisterSourceOutput(copiers, static (spc, model) => Emitter.Emit(spc, model));
        }
    }
}
