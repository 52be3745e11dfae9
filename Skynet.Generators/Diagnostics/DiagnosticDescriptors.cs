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

        public static readonly DiagnosticDescriptor NotPartial = Make(DiagnosticIds.NotPartial,
            "Generated type must be partial",
            "'{0}' is marked [{1}] but is not partial; add the 'partial' modifier to every declaration so the generator can add to it");

        public static readonly DiagnosticDescriptor DuplicateMethodId = Make(DiagnosticIds.DuplicateMethodId,
            "Duplicate snax method id",
            "The snax methods '{0}' and '{1}' of '{2}' have the same id {3}; give one of them a distinct [Id(n)]");

        public static readonly DiagnosticDescriptor UnsupportedType = Make(DiagnosticIds.UnsupportedType,
            "Type cannot cross services",
            "'{0}' of '{1}' has type '{2}', which cannot be passed between services: use primitives, enums, strings, [Packable] or [Immutable] types, arrays, List<T>, Dictionary<K,V> or Nullable<T> of those");

        public static readonly DiagnosticDescriptor InvalidHandler = Make(DiagnosticIds.InvalidHandler,
            "Invalid snax handler",
            "The snax method '{0}' cannot be generated: {1}");

        public static readonly DiagnosticDescriptor OnStartOverridden = Make(DiagnosticIds.OnStartOverridden,
            "[Service] class overrides OnStart",
            "'{0}' is a [Service] and overrides OnStart, which the generator implements; put start-up code in an OnInit(...) method instead");

        public static readonly DiagnosticDescriptor NestedOrGeneric = Make(DiagnosticIds.NestedOrGeneric,
            "Nested or generic generated type",
            "'{0}' is nested in another type or generic; [Service] and [Packable] types must be top-level, non-generic types");

        public static readonly DiagnosticDescriptor InvalidId = Make(DiagnosticIds.InvalidId,
            "Invalid [Id]",
            "'{0}' has [Id({1})]: {2}");

        public static readonly DiagnosticDescriptor NoConstructor = Make(DiagnosticIds.NoConstructor,
            "Packable type cannot be constructed",
            "'{0}' has no accessible parameterless constructor and no public constructor whose parameters all match members by name; add one so the codec and copier can create it");

        static DiagnosticDescriptor Make(string id, string title, string message) =>
            new DiagnosticDescriptor(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
                description: title + ".", helpLinkUri: HelpRoot + "-" + id.ToLowerInvariant());
    }

    /// <summary>The generator's diagnostic ids (SKY0001–0999).</summary>
    internal static class DiagnosticIds
    {
        public const string GeneratorFailed = "SKY0001";
        public const string NotPartial = "SKY0002";
        // SKY0003 (a [Service] class not deriving from Service) is retired: Skynet.Analyzers reports it as SKY1015.
        public const string DuplicateMethodId = "SKY0004";
        public const string UnsupportedType = "SKY0005";
        public const string InvalidHandler = "SKY0006";
        public const string OnStartOverridden = "SKY0007";
        public const string NestedOrGeneric = "SKY0008";
        public const string InvalidId = "SKY0009";
        public const string NoConstructor = "SKY0010";
    }
}
