using Skynet.Generators.Helpers;

namespace Skynet.Generators.Model
{
    /// <summary>How a value crosses services and the wire.</summary>
    internal enum ShapeKind
    {
        /// <summary>Primitives, enums, padding-free structs: raw memory on the wire, copied by value.</summary>
        Unmanaged,
        /// <summary><c>string</c>: UTF-8 form on the wire, immutable.</summary>
        String,
        /// <summary><c>Nullable&lt;T&gt;</c> of an unmanaged <c>T</c> (packable or not): the raw <c>Nullable&lt;T&gt;</c> memory.</summary>
        NullableUnmanaged,
        /// <summary><c>Nullable&lt;T&gt;</c> of a packable struct that holds references (object header 1 and the value, or null).</summary>
        NullablePackable,
        /// <summary>A <c>[Packable]</c> (or <c>IPackable</c>) type.</summary>
        Packable,
        /// <summary><c>List&lt;T&gt;</c>.</summary>
        List,
        /// <summary><c>T[]</c>.</summary>
        Array,
        /// <summary><c>Dictionary&lt;K,V&gt;</c>.</summary>
        Dictionary,
        /// <summary>Marked <c>[Immutable]</c> but not packable: passed by reference in-process, no codec.</summary>
        ImmutableOther,
    }

    /// <summary>
    /// A type as the emitters need it. A value (strings, enums, bools, <see cref="EquatableArray{T}"/>); never a
    /// symbol, so models compare by value and the pipeline caches.
    /// </summary>
    /// <param name="Kind">The shape.</param>
    /// <param name="Declared">The fully qualified name with nullable annotations, for declarations.</param>
    /// <param name="Bare">The fully qualified name without a top-level nullable annotation.</param>
    /// <param name="IsValueType">True for structs, enums and primitives.</param>
    /// <param name="IsImmutable">True when in-process calls can pass it by reference.</param>
    /// <param name="Args">Element types: one for lists and arrays, key and value for dictionaries, the inner type of a nullable.</param>
    internal sealed record TypeModel(ShapeKind Kind, string Declared, string Bare, bool IsValueType, bool IsImmutable, EquatableArray<TypeModel> Args);
}
