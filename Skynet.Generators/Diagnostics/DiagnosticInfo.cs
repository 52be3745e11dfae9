using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Skynet.Generators.Helpers;

namespace Skynet.Generators.Diagnostics
{
    /// <summary>
    /// A diagnostic as a value (its descriptor, file path, span, message arguments): models must not hold
    /// <see cref="Location"/>, which would defeat incremental caching. The descriptor is one of the static
    /// <see cref="DiagnosticDescriptors"/> and compares by value (<see cref="DiagnosticDescriptor"/> is equatable).
    /// </summary>
    internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, string FilePath, TextSpan Span, LinePositionSpan LineSpan, EquatableArray<string> Args)
    {
        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, Location? location, params string[] args)
        {
            var path = location?.SourceTree?.FilePath ?? "";
            var span = location?.SourceSpan ?? default;
            var lines = location?.GetLineSpan().Span ?? default;
            return new DiagnosticInfo(descriptor, path, span, lines, args.ToEquatableArray());
        }

        public Diagnostic ToDiagnostic()
        {
            var location = FilePath.Length == 0 ? Location.None : Location.Create(FilePath, Span, LineSpan);
            return Diagnostic.Create(Descriptor, location, Args.Cast<object>().ToArray());
        }
    }
}
