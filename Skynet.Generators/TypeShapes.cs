using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Skynet.Generators.Helpers;
using Skynet.Generators.Model;

namespace Skynet.Generators
{
    /// <summary>Turns type symbols into <see cref="TypeModel"/> values (shared by both parsers).</summary>
    internal static class TypeShapes
    {
        public const string PackableAttribute = "Skynet.PackableAttribute";
        public const string ImmutableAttribute = "Skynet.ImmutableAttribute";
        public const string IdAttribute = "Skynet.IdAttribute";

        public static readonly SymbolDisplayFormat Declared = SymbolDisplayFormat.FullyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        /// <summary>The model of <paramref name="type"/>, or null when it cannot cross services.</summary>
        public static TypeModel? Describe(ITypeSymbol type) => Describe(type, 0);

        static TypeModel? Describe(ITypeSymbol type, int depth)
        {
            if (depth > 16) return null;
            var declared = type.ToDisplayString(Declared);
            var bare = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(Declared);
            var none = EquatableArray<TypeModel>.Empty;

            if (type.SpecialType == SpecialType.System_String)
                return new TypeModel(ShapeKind.String, declared, "string", false, true, none);

            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
            {
                // MemoryPack's NullableFormatter: a struct without references is the raw Nullable<T> memory (packable or
                // not, as MemoryPack writes an unmanaged [MemoryPackable] struct raw too); one with references is
                // the object header 1 and the value, or the null header.
                var inner = nullable.TypeArguments[0];
                if (!inner.IsUnmanagedType && !IsPackable(inner)) return null;
                var innerModel = Describe(inner, depth + 1);
                if (innerModel is null) return null;
                var kind = inner.IsUnmanagedType ? ShapeKind.NullableUnmanaged : ShapeKind.NullablePackable;
                return new TypeModel(kind, declared, bare, true, inner.IsUnmanagedType || innerModel.IsImmutable, new[] { innerModel }.ToEquatableArray());
            }

            if (type is IArrayTypeSymbol { Rank: 1 } array)
            {
                var element = Describe(array.ElementType, depth + 1);
                return element is null ? null : new TypeModel(ShapeKind.Array, declared, bare, false, false, new[] { element }.ToEquatableArray());
            }

            if (type is INamedTypeSymbol { IsGenericType: true } generic)
            {
                var definition = generic.OriginalDefinition.ToDisplayString();
                if (definition == "System.Collections.Generic.List<T>")
                {
                    var element = Describe(generic.TypeArguments[0], depth + 1);
                    return element is null ? null : new TypeModel(ShapeKind.List, declared, bare, false, false, new[] { element }.ToEquatableArray());
                }
                if (definition == "System.Collections.Generic.Dictionary<TKey, TValue>")
                {
                    var key = Describe(generic.TypeArguments[0], depth + 1);
                    var value = Describe(generic.TypeArguments[1], depth + 1);
                    return key is null || value is null ? null : new TypeModel(ShapeKind.Dictionary, declared, bare, false, false, new[] { key, value }.ToEquatableArray());
                }
            }

            if (IsPackable(type))
                return new TypeModel(ShapeKind.Packable, declared, bare, type.IsValueType, IsImmutable(type, 0), none);

            if (type.IsUnmanagedType && type.TypeKind != Microsoft.CodeAnalysis.TypeKind.Pointer && type.TypeKind != Microsoft.CodeAnalysis.TypeKind.FunctionPointer)
                return new TypeModel(ShapeKind.Unmanaged, declared, bare, true, true, none);

            if (HasAttribute(type, ImmutableAttribute))
                return new TypeModel(ShapeKind.ImmutableOther, declared, bare, type.IsValueType, true, none);

            return null;
        }

        public static bool IsPackable(ITypeSymbol type) =>
            HasAttribute(type, PackableAttribute) ||
            type.AllInterfaces.Any(i => i.OriginalDefinition.ToDisplayString() == "Skynet.Codecs.IPackable<TSelf>");

        public static bool HasAttribute(ISymbol symbol, string metadataName) =>
            symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == metadataName);

        public static int? GetId(ISymbol symbol)
        {
            foreach (var attribute in symbol.GetAttributes())
                if (attribute.AttributeClass?.ToDisplayString() == IdAttribute && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is int id)
                    return id;
            return null;
        }

        /// <summary>
        /// Deeply immutable: <c>[Immutable]</c>, an unmanaged struct, or a sealed record / readonly struct whose instance
        /// state is all read-only and of immutable types. Every instance field and property counts, whatever its
        /// accessibility and whether or not it is serialized, and so does the state inherited from every base class
        /// (up to <c>object</c>, or up to a base marked <c>[Immutable]</c>): a sealed record deriving from a record with
        /// a settable member is mutable, so it is copied between services, not shared.
        /// </summary>
        public static bool IsImmutable(ITypeSymbol type, int depth)
        {
            if (HasAttribute(type, ImmutableAttribute)) return true;
            if (type.IsUnmanagedType || type.SpecialType == SpecialType.System_String) return true;
            if (depth > 8 || !(type.IsRecord || type.IsReadOnly)) return false;
            if (type.IsReferenceType && !type.IsSealed) return false; // a subclass could add mutable state
            for (var level = type; level is not null && !IsRoot(level); level = level.BaseType)
            {
                if (!SymbolEqualityComparer.Default.Equals(level, type) && HasAttribute(level, ImmutableAttribute)) break;
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
                    if (!readOnly) return false;
                    if (memberType is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } n) memberType = n.TypeArguments[0];
                    if (!IsImmutable(memberType, depth + 1)) return false;
                }
            }
            return true;
        }

        static bool IsReadOnly(IPropertySymbol property) => property.SetMethod is null or { IsInitOnly: true };

        /// <summary><c>object</c> or <c>ValueType</c>: where the walk up a type's bases stops.</summary>
        static bool IsRoot(ITypeSymbol type) => type.SpecialType is SpecialType.System_Object or SpecialType.System_ValueType;

        /// <summary>
        /// The serialized members, as MemoryPack chooses them (<c>TypeMeta</c> over <c>GetAllMembers</c>): public
        /// instance fields and properties with a getter (indexers, statics and <c>EqualityContract</c> excluded), of the
        /// type and of every base class, base members first, each level in declaration order. An override stays at the
        /// place of the member it overrides; a member hidden with <c>new</c> moves to the place of the one that hides it.
        /// The base need not be <c>[Packable]</c>.
        /// </summary>
        public static IEnumerable<ISymbol> SerializedMembers(ITypeSymbol type)
        {
            var levels = new List<ITypeSymbol>();
            for (var level = type; level is not null && !IsRoot(level); level = level.BaseType) levels.Add(level);
            var members = new List<ISymbol>();
            for (var i = levels.Count - 1; i >= 0; i--)
            {
                foreach (var member in levels[i].GetMembers())
                {
                    if (member.IsStatic || member.IsOverride || member.DeclaredAccessibility != Accessibility.Public || member.IsImplicitlyDeclared && member is IFieldSymbol) continue;
                    var serialized = member is IFieldSymbol { IsConst: false, AssociatedSymbol: null }
                        || member is IPropertySymbol { IsIndexer: false, GetMethod: not null, Name: not "EqualityContract" };
                    if (!serialized) continue;
                    members.RemoveAll(m => m.Name == member.Name); // hidden by 'new'
                    members.Add(member);
                }
            }
            return members;
        }

        /// <summary>FNV-1a of the UTF-16 name, as a positive 31-bit id; 0 is reserved for snax's exit.</summary>
        public static int HashId(string name)
        {
            unchecked
            {
                var hash = 2166136261u;
                foreach (var c in name)
                {
                    hash = (hash ^ (byte)c) * 16777619u;
                    hash = (hash ^ (byte)(c >> 8)) * 16777619u;
                }
                var id = (int)(hash & 0x7FFFFFFF);
                return id == 0 ? 1 : id;
            }
        }
    }
}
