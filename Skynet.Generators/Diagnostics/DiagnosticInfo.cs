using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Skynet.Generators.Helpers;

namespace Skynet.Generators.Diagnostics
{
    /// <summary>
    /// A diagnostic as a value (descriptor id, file path, span, message arguments): models must not hold
    /// <see cref="Location"/>, which would defeat incremental caching.
    /// </summary>
    internal sealed record DiagnosticInfo(string Id, string FilePath, TextSpan Span, LinePositionSpan LineSpan, EquatableArray<string> Args)
    {
        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params string[] args)
        {
            var path = location?.SourceTree?.FilePath ?? "";
            var span = location?.SourceSpan ?? default;
            var lines = location?.GetLineSpan().Span ?? default;
            return new DiagnosticInfo(descriptor.Id, path, span, lines, args.ToEquatableArray());
        }

        public Diagnostic ToDiagnostic()
        {
            var descriptor = Descriptor(Id);
            var location = FilePath.Length == 0 ? Location.None : Location.Create(FilePath, Span, LineSpan);
            return Diagnostic.Create(descriptor, location, Args.Cast<object>().ToArray());
        }

        static DiagnosticDescriptor Descriptor(string id) => id switch
        {
            DiagnosticIds.DuplicateMethodId => DiagnosticDescriptors.DuplicateMethodId,
            DiagnosticIds.InvalidHandler => DiagnosticDescriptors.InvalidHandler,
            DiagnosticIds.OnStartOverridden => DiagnosticDescriptors.OnStartOverridden,
            DiagnosticIds.NestedOrGeneric => DiagnosticDescriptors.NestedOrGeneric,
            DiagnosticIds.InvalidId => DiagnosticDescriptors.InvalidId,
            _ => DiagnosticDescriptors.GeneratorFailed,
        };
    }
}
