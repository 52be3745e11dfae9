using Skynet.Generators.Diagnostics;
using Skynet.Generators.Helpers;

namespace Skynet.Generators.Model
{
    /// <summary>A member of a <c>[MemoryPackable]</c> type that its deep copier carries over. A value, no symbols.</summary>
    /// <param name="Name">The member name.</param>
    /// <param name="Type">Its type.</param>
    /// <param name="ConstructorIndex">Position in the constructor call, or -1 when set by an initializer.</param>
    internal sealed record MemberModel(string Name, TypeModel Type, int ConstructorIndex);

    /// <summary>How the generated <c>DeepCopy</c> of a type works.</summary>
    internal enum CopierStrategy
    {
        /// <summary>Immutable: returns the value itself.</summary>
        Share,
        /// <summary>Constructs a new instance member by member.</summary>
        MemberWise,
        /// <summary>A MemoryPack round trip (circular-reference and custom-formatter types, or no usable constructor).</summary>
        RoundTrip,
    }

    /// <summary>
    /// Everything the copier emitter needs for one <c>[MemoryPackable]</c> type. Models are values: strings, enums,
    /// bools and <see cref="EquatableArray{T}"/>; never <c>ISymbol</c>, <c>SyntaxNode</c>, <c>Location</c> or <c>Compilation</c>.
    /// </summary>
    internal sealed record CopierModel(
        string? Namespace,
        string Name,
        string FullName,
        string MetadataName,
        string Keyword,
        bool IsValueType,
        CopierStrategy Strategy,
        int ConstructorArity,
        EquatableArray<MemberModel> Members,
        EquatableArray<DiagnosticInfo> Diagnostics);
}
