using Skynet.Generators.Diagnostics;
using Skynet.Generators.Helpers;

namespace Skynet.Generators.Model
{
    /// <summary>A serialized member of a packable type. A value, no symbols.</summary>
    /// <param name="Name">The member name.</param>
    /// <param name="Type">Its type.</param>
    /// <param name="ConstructorIndex">Position in the constructor call, or -1 when set by an initializer.</param>
    internal sealed record MemberModel(string Name, TypeModel Type, int ConstructorIndex);

    /// <summary>
    /// Everything the packable emitter needs for one <c>[Packable]</c> type. Models are values: strings, enums, bools
    /// and <see cref="EquatableArray{T}"/>; never <c>ISymbol</c>, <c>SyntaxNode</c>, <c>Location</c> or <c>Compilation</c>.
    /// </summary>
    internal sealed record PackableModel(
        string? Namespace,
        string Name,
        string FullName,
        string MetadataName,
        string Keyword,
        bool IsValueType,
        bool VersionTolerant,
        bool IsImmutable,
        int ConstructorArity,
        EquatableArray<MemberModel> Members,
        EquatableArray<DiagnosticInfo> Diagnostics);
}
