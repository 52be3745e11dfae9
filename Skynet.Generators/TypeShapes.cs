using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Skynet.Generators.Helpers;
using Skynet.Generators.Model;
using Skynet.Shared;

namespace Skynet.Generators
{
    /// <summary>Turns type symbols into <see cref="TypeModel"/> values with the shared <see cref="Packability"/> rule (used by both parsers).</summary>
    internal static class TypeShapes
    {
        public static readonly SymbolDisplayFormat Declared = SymbolDisplayFormat.FullyQualifiedFormat
            .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

        /// <summary>The model of <paramref name="type"/>; one the rule rejects has <see cref="TypeModel.Crosses"/> false and is not copied.</summary>
        public static TypeModel Describe(ITypeSymbol type, PackabilityTypes types) => Describe(type, types, 0);

        static TypeModel Describe(ITypeSymbol type, PackabilityTypes types, int depth)
        {
            var declared = type.ToDisplayString(Declared);
            var bare = type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(Declared);
            var crosses = Packability.WhyNot(type, types) is null;
            var copy = crosses && depth < 16 ? Packability.CopyOf(type, types) : CopyKind.Identity;
            var args = EquatableArray<TypeModel>.Empty;
            switch (copy)
            {
                case CopyKind.Array:
                    args = new[] { Describe(((IArrayTypeSymbol)type).ElementType, types, depth + 1) }.ToEquatableArray();
                    break;
                case CopyKind.List:
                case CopyKind.HashSet:
                case CopyKind.Dictionary:
                case CopyKind.Nullable:
                    var list = new List<TypeModel>();
                    foreach (var argument in ((INamedTypeSymbol)type).TypeArguments) list.Add(Describe(argument, types, depth + 1));
                    args = list.ToEquatableArray();
                    break;
            }
            return new TypeModel(copy, declared, bare, type.IsValueType, crosses, args);
        }

        /// <summary>
        /// The members MemoryPack serializes: instance fields and properties with a getter that are public or
        /// <c>[MemoryPackInclude]</c>, not <c>[MemoryPackIgnore]</c>, of the type and its bases (indexers and
        /// <c>EqualityContract</c> excluded; a member hidden with <c>new</c> counts once).
        /// </summary>
        public static IEnumerable<ISymbol> SerializedMembers(INamedTypeSymbol type, PackabilityTypes types)
        {
            var levels = new List<ITypeSymbol>();
            for (var level = (ITypeSymbol?)type; level is not null && !Packability.IsRoot(level); level = level.BaseType) levels.Add(level);
            var members = new List<ISymbol>();
            for (var i = levels.Count - 1; i >= 0; i--)
            {
                foreach (var member in levels[i].GetMembers())
                {
                if (member.IsStatic || member.IsOverride || member.IsImplicitlyDeclared && member is IFieldSymbol) continue;
                var serialized = member is IFieldSymbol { IsConst: false, AssociatedSymbol: null }
                    || member is IPropertySymbol { IsIndexer: false, GetMethod: not null, Name: not "EqualityContract" };
                if (!serialized || Packability.HasAttribute(member, types.MemoryPackIgnore)) continue;
                if (member.DeclaredAccessibility != Accessibility.Public && !Packability.HasAttribute(member, types.MemoryPackInclude)) continue;
                // A private member of a base class cannot be reached from the derived type's copier.
                if (i > 0 && member.DeclaredAccessibility == Accessibility.Private) continue;
                members.RemoveAll(m => m.Name == member.Name); // hidden by 'new'
                members.Add(member);
                }
            }
            return members;
        }

        /// <summary>
        /// True when bytes of <paramref name="type"/> can nest without bound: a MemoryPack type that can contain itself
        /// (directly, through members, collections or a union). MemoryPack's reader has no depth limit, so such
        /// payloads are decoded where the stack can follow them (SnaxBytes.DecodeNested).
        /// </summary>
        public static bool MayNest(ITypeSymbol type, PackabilityTypes types) => MayNest(type, types, new List<ITypeSymbol>());

        static bool MayNest(ITypeSymbol type, PackabilityTypes types, List<ITypeSymbol> path)
        {
            if (path.Count > 32) return true;
            if (type is IArrayTypeSymbol array) return MayNest(array.ElementType, types, path);
            if (type is not INamedTypeSymbol named || type.SpecialType == SpecialType.System_String) return false;
            if (Packability.HasAttribute(named.OriginalDefinition, types.MemoryPackUnion)) return true;
            foreach (var argument in named.TypeArguments)
                if (MayNest(argument, types, path)) return true;
            if (!Packability.IsMemoryPackType(named, types)) return false;
            foreach (var seen in path)
                if (SymbolEqualityComparer.Default.Equals(seen, named)) return true;
            path.Add(named);
            try
            {
                foreach (var member in SerializedMembers(named, types))
                    if (MayNest(member is IFieldSymbol field ? field.Type : ((IPropertySymbol)member).Type, types, path)) return true;
                return false;
            }
            finally
            {
                path.RemoveAt(path.Count - 1);
            }
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
