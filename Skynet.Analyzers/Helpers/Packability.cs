// One rule for "can this type cross a service boundary, and how is it copied in-process", shared as a linked
// source file by Skynet.Generators (which emits copiers and the snax byte form from it) and Skynet.Analyzers
// (SKY1013 reports its answer). Keep it free of anything only one of the two assemblies has.
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Skynet.Shared
{
    /// <summary>How an in-process call passes a value that crosses a service boundary.</summary>
    internal enum CopyKind
    {
        /// <summary>Immutable: passed by reference (or by value for structs), never copied.</summary>
        Identity,
        /// <summary>A mutable <c>[MemoryPackable]</c> type with a generated deep copier (<c>IDeepCopyable&lt;T&gt;</c>).</summary>
        DeepCopyable,
        /// <summary><c>List&lt;T&gt;</c>, copied element by element.</summary>
        List,
        /// <summary><c>T[]</c>, copied element by element.</summary>
        Array,
        /// <summary><c>Dictionary&lt;K,V&gt;</c>, copied entry by entry.</summary>
        Dictionary,
        /// <summary><c>HashSet&lt;T&gt;</c>, copied element by element.</summary>
        HashSet,
        /// <summary><c>Nullable&lt;T&gt;</c> of a struct that needs copying.</summary>
        Nullable,
        /// <summary>Any other mutable type MemoryPack can write: copied by a MemoryPack round trip.</summary>
        RoundTrip,
    }

    /// <summary>The types the rule looks for, resolved once per compilation.</summary>
    internal sealed class PackabilityTypes
    {
        static readonly string[] KnownGenericNames =
        {
            // MemoryPack's MemoryPackFormatterProvider: the generic types it has formatters for (1.21.4).
            "System.Collections.Generic.List`1", "System.Collections.Generic.Dictionary`2", "System.Collections.Generic.HashSet`1",
            "System.Collections.Generic.SortedSet`1", "System.Collections.Generic.SortedDictionary`2", "System.Collections.Generic.SortedList`2",
            "System.Collections.Generic.LinkedList`1", "System.Collections.Generic.Queue`1", "System.Collections.Generic.Stack`1",
            "System.Collections.Generic.PriorityQueue`2", "System.Collections.Generic.KeyValuePair`2",
            "System.Collections.Generic.IEnumerable`1", "System.Collections.Generic.ICollection`1", "System.Collections.Generic.IReadOnlyCollection`1",
            "System.Collections.Generic.IList`1", "System.Collections.Generic.IReadOnlyList`1", "System.Collections.Generic.IDictionary`2",
            "System.Collections.Generic.IReadOnlyDictionary`2", "System.Collections.Generic.ISet`1", "System.Collections.Generic.IReadOnlySet`1",
            "System.Linq.ILookup`2", "System.Linq.IGrouping`2",
            "System.Collections.ObjectModel.Collection`1", "System.Collections.ObjectModel.ReadOnlyCollection`1",
            "System.Collections.ObjectModel.ObservableCollection`1", "System.Collections.ObjectModel.ReadOnlyObservableCollection`1",
            "System.Collections.Concurrent.ConcurrentQueue`1", "System.Collections.Concurrent.ConcurrentStack`1", "System.Collections.Concurrent.ConcurrentBag`1",
            "System.Collections.Concurrent.ConcurrentDictionary`2", "System.Collections.Concurrent.BlockingCollection`1",
            "System.Collections.Immutable.ImmutableArray`1", "System.Collections.Immutable.ImmutableList`1", "System.Collections.Immutable.ImmutableQueue`1",
            "System.Collections.Immutable.ImmutableStack`1", "System.Collections.Immutable.ImmutableHashSet`1", "System.Collections.Immutable.ImmutableSortedSet`1",
            "System.Collections.Immutable.ImmutableDictionary`2", "System.Collections.Immutable.ImmutableSortedDictionary`2",
            "System.Collections.Immutable.IImmutableList`1", "System.Collections.Immutable.IImmutableQueue`1", "System.Collections.Immutable.IImmutableStack`1",
            "System.Collections.Immutable.IImmutableSet`1", "System.Collections.Immutable.IImmutableDictionary`2",
            "System.Collections.Frozen.FrozenSet`1", "System.Collections.Frozen.FrozenDictionary`2",
            "System.Memory`1", "System.ReadOnlyMemory`1", "System.ArraySegment`1", "System.Buffers.ReadOnlySequence`1", "System.Lazy`1",
            "System.Tuple`1", "System.Tuple`2", "System.Tuple`3", "System.Tuple`4", "System.Tuple`5", "System.Tuple`6", "System.Tuple`7", "System.Tuple`8",
        };

        static readonly string[] ImmutableGenericNames =
        {
            // Immutable themselves: immutable when their type arguments are.
            "System.Collections.Generic.KeyValuePair`2",
            "System.Collections.Immutable.ImmutableArray`1", "System.Collections.Immutable.ImmutableList`1", "System.Collections.Immutable.ImmutableQueue`1",
            "System.Collections.Immutable.ImmutableStack`1", "System.Collections.Immutable.ImmutableHashSet`1", "System.Collections.Immutable.ImmutableSortedSet`1",
            "System.Collections.Immutable.ImmutableDictionary`2", "System.Collections.Immutable.ImmutableSortedDictionary`2",
            "System.Collections.Frozen.FrozenSet`1", "System.Collections.Frozen.FrozenDictionary`2", "System.ReadOnlyMemory`1",
            "System.Tuple`1", "System.Tuple`2", "System.Tuple`3", "System.Tuple`4", "System.Tuple`5", "System.Tuple`6", "System.Tuple`7", "System.Tuple`8",
        };

        static readonly string[] KnownReferenceNames =
        {
            // Non-generic types with references that MemoryPack registers formatters for.
            "System.Version", "System.Uri", "System.Numerics.BigInteger", "System.Text.StringBuilder", "System.Collections.BitArray",
            "System.Globalization.CultureInfo", "System.TimeZoneInfo", "System.Type",
        };

        static readonly string[] ImmutableReferenceNames =
        {
            "System.Version", "System.Uri", "System.Numerics.BigInteger", "System.Globalization.CultureInfo", "System.TimeZoneInfo", "System.Type",
        };

        PackabilityTypes(Compilation compilation)
        {
            MemoryPackable = compilation.GetTypeByMetadataName("MemoryPack.MemoryPackableAttribute");
            MemoryPackUnion = compilation.GetTypeByMetadataName("MemoryPack.MemoryPackUnionAttribute");
            MemoryPackableInterface = compilation.GetTypeByMetadataName("MemoryPack.IMemoryPackable`1");
            MemoryPackIgnore = compilation.GetTypeByMetadataName("MemoryPack.MemoryPackIgnoreAttribute");
            MemoryPackInclude = compilation.GetTypeByMetadataName("MemoryPack.MemoryPackIncludeAttribute");
            MemoryPackConstructor = compilation.GetTypeByMetadataName("MemoryPack.MemoryPackConstructorAttribute");
            GenerateType = compilation.GetTypeByMetadataName("MemoryPack.GenerateType");
            Immutable = compilation.GetTypeByMetadataName("Skynet.ImmutableAttribute");
            DeepCopyable = compilation.GetTypeByMetadataName("Skynet.Codecs.IDeepCopyable`1");
            ListOfT = compilation.GetTypeByMetadataName("System.Collections.Generic.List`1");
            DictionaryOfTT = compilation.GetTypeByMetadataName("System.Collections.Generic.Dictionary`2");
            HashSetOfT = compilation.GetTypeByMetadataName("System.Collections.Generic.HashSet`1");
            KnownGenerics = Resolve(compilation, KnownGenericNames);
            ImmutableGenerics = Resolve(compilation, ImmutableGenericNames);
            KnownReferences = Resolve(compilation, KnownReferenceNames);
            ImmutableReferences = Resolve(compilation, ImmutableReferenceNames);
        }

        /// <summary>Resolves the types of <paramref name="compilation"/>.</summary>
        public static PackabilityTypes Create(Compilation compilation) => new PackabilityTypes(compilation);

        public INamedTypeSymbol? MemoryPackable { get; }
        public INamedTypeSymbol? MemoryPackUnion { get; }
        public INamedTypeSymbol? MemoryPackableInterface { get; }
        public INamedTypeSymbol? MemoryPackIgnore { get; }
        public INamedTypeSymbol? MemoryPackInclude { get; }
        public INamedTypeSymbol? MemoryPackConstructor { get; }
        /// <summary>MemoryPack's <c>GenerateType</c> enum (the first argument of <c>[MemoryPackable]</c>).</summary>
        public INamedTypeSymbol? GenerateType { get; }
        public INamedTypeSymbol? Immutable { get; }
        public INamedTypeSymbol? DeepCopyable { get; }
        public INamedTypeSymbol? ListOfT { get; }
        public INamedTypeSymbol? DictionaryOfTT { get; }
        public INamedTypeSymbol? HashSetOfT { get; }
        public HashSet<INamedTypeSymbol> KnownGenerics { get; }
        public HashSet<INamedTypeSymbol> ImmutableGenerics { get; }
        public HashSet<INamedTypeSymbol> KnownReferences { get; }
        public HashSet<INamedTypeSymbol> ImmutableReferences { get; }

        static HashSet<INamedTypeSymbol> Resolve(Compilation compilation, string[] names)
        {
            var set = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
            foreach (var name in names)
                if (compilation.GetTypeByMetadataName(name) is { } type) set.Add(type);
            return set;
        }
    }

    /// <summary>
    /// The rule (docs/codecs.md, docs/diagnostics/SKY1013.md): a type crosses a service boundary when MemoryPack can
    /// write it: primitives, enums, <c>string</c>, unmanaged structs, <c>[MemoryPackable]</c> and
    /// <c>[MemoryPackUnion]</c> types, and arrays, tuples, nullables and the collections MemoryPack knows of those.
    /// In-process, immutable values travel by reference and mutable ones are deep-copied (<see cref="CopyKind"/>).
    /// </summary>
    internal static class Packability
    {
        const int MaxDepth = 16;

        /// <summary>Null when <paramref name="type"/> may cross a service boundary, otherwise why not, in words for a diagnostic.</summary>
        public static string? WhyNot(ITypeSymbol type, PackabilityTypes types) => WhyNot(type, types, 0);

        static string? WhyNot(ITypeSymbol type, PackabilityTypes types, int depth)
        {
            if (depth > MaxDepth) return null;
            switch (type.TypeKind)
            {
                case TypeKind.Pointer:
                case TypeKind.FunctionPointer:
                    return "'" + Display(type) + "' is a pointer, and pointers do not cross services";
                case TypeKind.Delegate:
                    return "'" + Display(type) + "' is a delegate, and code does not cross services";
                case TypeKind.TypeParameter:
                case TypeKind.Error:
                case TypeKind.Enum:
                    return null;
                case TypeKind.Dynamic:
                    return "'dynamic' has no wire layout; use a [MemoryPackable] type";
                case TypeKind.Array:
                    var array = (IArrayTypeSymbol)type;
                    return array.Rank > 4 ? "'" + Display(type) + "' has more than 4 dimensions, which MemoryPack cannot write" : WhyNot(array.ElementType, types, depth + 1);
            }

            switch (type.SpecialType)
            {
                case SpecialType.System_String:
                    return null;
                case SpecialType.System_Object:
                    return "'object' has no wire layout; use a [MemoryPackable] type (or a [MemoryPackUnion] interface for several types)";
                case SpecialType.System_IntPtr:
                case SpecialType.System_UIntPtr:
                    return "'" + Display(type) + "' is a native pointer-sized handle that means nothing in another process";
            }

            if (type is not INamedTypeSymbol named) return "'" + Display(type) + "' is not a type MemoryPack can write";
            if (IsMemoryPackType(named, types)) return TypeArgumentsWhyNot(named, types, depth);
            if (named.IsTupleType || IsNullable(named) || types.KnownGenerics.Contains(named.OriginalDefinition))
                return TypeArgumentsWhyNot(named, types, depth);
            if (types.KnownReferences.Contains(named.OriginalDefinition)) return null;
            if (named.IsUnmanagedType) return null;
            if (HasAttribute(named, types.Immutable))
                return "'" + Display(type) + "' is [Immutable] but not [MemoryPackable], so it has no wire form; add [MemoryPackable]";
            return "'" + Display(type) + "' is not [MemoryPackable]";
        }

        static string? TypeArgumentsWhyNot(INamedTypeSymbol type, PackabilityTypes types, int depth)
        {
            foreach (var argument in type.TypeArguments)
                if (WhyNot(argument, types, depth + 1) is { } why) return why;
            return null;
        }

        /// <summary>
        /// How an in-process call passes <paramref name="type"/> (which <see cref="WhyNot(ITypeSymbol, PackabilityTypes)"/>
        /// accepts); <see cref="CopyKind.Identity"/> for immutable values.
        /// </summary>
        public static CopyKind CopyOf(ITypeSymbol type, PackabilityTypes types)
        {
            if (IsImmutable(type, types)) return CopyKind.Identity;
            if (type is IArrayTypeSymbol { Rank: 1 }) return CopyKind.Array;
            if (type is not INamedTypeSymbol named) return CopyKind.RoundTrip;
            var definition = named.OriginalDefinition;
            if (IsNullable(named)) return CopyKind.Nullable;
            if (SymbolEqualityComparer.Default.Equals(definition, types.ListOfT)) return CopyKind.List;
            if (SymbolEqualityComparer.Default.Equals(definition, types.DictionaryOfTT)) return CopyKind.Dictionary;
            if (SymbolEqualityComparer.Default.Equals(definition, types.HashSetOfT)) return CopyKind.HashSet;
            if (HasGeneratedCopier(named, types)) return CopyKind.DeepCopyable;
            return CopyKind.RoundTrip;
        }

        /// <summary>
        /// True when Skynet's generator writes a deep copier for <paramref name="type"/> (or already did, in a
        /// referenced assembly): a non-generic, non-nested, concrete <c>[MemoryPackable]</c> class, record or struct.
        /// </summary>
        public static bool HasGeneratedCopier(INamedTypeSymbol type, PackabilityTypes types)
        {
            foreach (var candidate in type.AllInterfaces)
                if (SymbolEqualityComparer.Default.Equals(candidate.OriginalDefinition, types.DeepCopyable)) return true;
            return type.DeclaringSyntaxReferences.Length > 0 && GetsCopier(type, types);
        }

        /// <summary>True for a <c>[MemoryPackable]</c> type declared in source that the copier generator handles.</summary>
        public static bool GetsCopier(INamedTypeSymbol type, PackabilityTypes types) =>
            HasAttribute(type, types.MemoryPackable) && !type.IsGenericType && type.ContainingType is null && !type.IsAbstract
            && type.TypeKind is TypeKind.Class or TypeKind.Struct;

        /// <summary>A <c>[MemoryPackable]</c>/<c>[MemoryPackUnion]</c> type or one implementing <c>IMemoryPackable&lt;T&gt;</c>.</summary>
        public static bool IsMemoryPackType(INamedTypeSymbol type, PackabilityTypes types)
        {
            if (HasAttribute(type.OriginalDefinition, types.MemoryPackable) || HasAttribute(type.OriginalDefinition, types.MemoryPackUnion)) return true;
            foreach (var candidate in type.AllInterfaces)
                if (SymbolEqualityComparer.Default.Equals(candidate.OriginalDefinition, types.MemoryPackableInterface)) return true;
            return false;
        }

        /// <summary>
        /// Deeply immutable, so in-process calls may share it: <c>[Immutable]</c>, unmanaged, <c>string</c>, the
        /// immutable BCL types, tuples and immutable collections of immutables, or a sealed record / readonly struct
        /// whose instance state (its own and every base's, whatever the accessibility) is read-only and immutable.
        /// </summary>
        public static bool IsImmutable(ITypeSymbol type, PackabilityTypes types) => IsImmutable(type, types, 0);

        static bool IsImmutable(ITypeSymbol type, PackabilityTypes types, int depth)
        {
            if (depth > MaxDepth) return false;
            if (type.TypeKind == TypeKind.Enum || type.SpecialType == SpecialType.System_String) return true;
            if (type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer or TypeKind.Array or TypeKind.TypeParameter or TypeKind.Error) return false;
            if (type.IsUnmanagedType) return true;
            if (HasAttribute(type, types.Immutable)) return true;
            if (type is not INamedTypeSymbol named) return false;
            if (types.ImmutableReferences.Contains(named.OriginalDefinition)) return true;
            if (named.IsTupleType || IsNullable(named) || types.ImmutableGenerics.Contains(named.OriginalDefinition))
            {
                // ValueTuple's fields are writable, but a tuple travels by value: only its elements matter.
                foreach (var argument in named.TypeArguments)
                    if (!IsImmutable(argument, types, depth + 1)) return false;
                return true;
            }
            if (!(type.IsRecord || type.IsReadOnly)) return false;
            if (type.IsReferenceType && !type.IsSealed) return false; // a subclass could add mutable state
            for (var level = type; level is not null && !IsRoot(level); level = level.BaseType)
            {
                if (!SymbolEqualityComparer.Default.Equals(level, type) && HasAttribute(level, types.Immutable)) break;
                foreach (var member in level.GetMembers())
                {
                    if (member.IsStatic) continue;
                    ITypeSymbol memberType;
                    bool readOnly;
                    if (member is IFieldSymbol { IsConst: false } field)
                    {
                        memberType = field.Type;
                        readOnly = field.AssociatedSymbol is IPropertySymbol backed ? IsReadOnly(backed) : field.IsReadOnly && field.AssociatedSymbol is null;
                    }
                    else if (member is IPropertySymbol { IsIndexer: false } property && !(level.IsRecord && property.Name == "EqualityContract"))
                    {
                        memberType = property.Type;
                        readOnly = IsReadOnly(property);
                    }
                    else continue;
                    if (!readOnly || !IsImmutable(memberType, types, depth + 1)) return false;
                }
            }
            return true;
        }

        static bool IsReadOnly(IPropertySymbol property) => property.SetMethod is null or { IsInitOnly: true };

        static bool IsNullable(INamedTypeSymbol type) => type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T;

        /// <summary><c>object</c> or <c>ValueType</c>: where the walk up a type's bases stops.</summary>
        public static bool IsRoot(ITypeSymbol type) => type.SpecialType is SpecialType.System_Object or SpecialType.System_ValueType;

        public static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attribute)
        {
            if (attribute is null) return false;
            foreach (var data in symbol.GetAttributes())
                if (SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute)) return true;
            return false;
        }

        static string Display(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
    }
}
