using Skynet.Generators.Helpers;
using Skynet.Shared;

namespace Skynet.Generators.Model
{
    /// <summary>
    /// A type as the emitters need it. A value (strings, enums, bools, <see cref="EquatableArray{T}"/>); never a
    /// symbol, so models compare by value and the pipeline caches.
    /// </summary>
    /// <param name="Copy">How an in-process call copies it (<see cref="Packability.CopyOf"/>).</param>
    /// <param name="Declared">The fully qualified name with nullable annotations, for declarations.</param>
    /// <param name="Bare">The fully qualified name without a top-level nullable annotation.</param>
    /// <param name="IsValueType">True for structs, enums and primitives.</param>
    /// <param name="Crosses">False when the shared rule rejects it (Skynet.Analyzers reports SKY1013; the byte form throws).</param>
    /// <param name="Args">Element types: one for lists, arrays and sets, key and value for dictionaries, the inner type of a nullable.</param>
    internal sealed record TypeModel(CopyKind Copy, string Declared, string Bare, bool IsValueType, bool Crosses, EquatableArray<TypeModel> Args);
}
