using Microsoft.CodeAnalysis;

namespace Skynet.Generators.Diagnostics
{
    /// <summary>The generator's diagnostics: only what blocks emission (other rules live in Skynet.Analyzers).</summary>
    internal static class DiagnosticDescriptors
    {
        const string Category = "Skynet.Generators";
        const string HelpRoot = "https://github.com/skynet-dotnet/skynet-dotnet/blob/main/docs/snax.md#diagnostics";

        public static readonly DiagnosticDescriptor GeneratorFailed = Make(DiagnosticIds.GeneratorFailed,
            "The Skynet generator failed",
            "The Skynet generator failed on '{0}': {1}. Nothing was generated for this type; please report this with the type's source.");

        public static readonly DiagnosticDescriptor DuplicateMethodId = Make(DiagnosticIds.DuplicateMethodId,
            "Duplicate snax method id",
            "The snax methods '{0}' and '{1}' of '{2}' have the same id {3}; give one of them a distinct [Id(n)]");

        public static readonly DiagnosticDescriptor InvalidHandler = Make(DiagnosticIds.InvalidHandler,
            "Invalid snax handler",
            "The snax method '{0}' cannot be generated: {1}");

        public static readonly DiagnosticDescriptor OnStartOverridden = Make(DiagnosticIds.OnStartOverridden,
            "[Service] class overrides OnStart",
            "'{0}' is a [Service] and overrides OnStart, which the generator implements; put start-up code in an OnInit(...) method instead");

        public static readonly DiagnosticDescriptor NestedOrGeneric = Make(DiagnosticIds.NestedOrGeneric,
            "Nested or generic generated type",
            "'{0}' is nested in another type or generic; [Service] classes must be top-level, non-generic types");

        public static readonly DiagnosticDescriptor InvalidId = Make(DiagnosticIds.InvalidId,
            "Invalid [Id]",
            "'{0}' has [Id({1})]: {2}");

        static DiagnosticDescriptor Make(string id, string title, string message) =>
            new DiagnosticDescriptor(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
                description: title + ".", helpLinkUri: HelpRoot + "-" + id.ToLowerInvariant());
    }

    /// <summary>The generator's diagnostic ids (SKY0001–0999).</summary>
    internal static class DiagnosticIds
    {
        public const string GeneratorFailed = "SKY0001";
        // SKY0002 (a [Packable] type not partial) is retired with [Packable]: MemoryPack reports its own types.
        // SKY0003 (a [Service] class not deriving from Service) is retired: Skynet.Analyzers reports it as SKY1015.
        public const string DuplicateMethodId = "SKY0004";
        // SKY0005 (a type that cannot cross services) is retired: Skynet.Analyzers reports it once, as SKY1013,
        // from the same rule (Skynet.Shared.Packability) the generator uses.
        public const string InvalidHandler = "SKY0006";
        public const string OnStartOverridden = "SKY0007";
        public const string NestedOrGeneric = "SKY0008";
        public const string InvalidId = "SKY0009";
        // SKY0010 (a [Packable] type without a usable constructor) is retired: MemoryPack reports it for its types.
    }
}
