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
        public const string IdAttribute = "Skynet.IdAttribute";

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

        public static bool HasAttribute(ISymbol symbol, string metadataName)
        {
            foreach (var attribute in symbol.GetAttributes())
                if (attribute.AttributeClass?.ToDisplayString() == metadataName) return true;
            return false;
        }

        public static int? GetId(ISymbol symbol)
        {
            foreach (var attribute in symbol.GetAttributes())
                if (attribute.AttributeClass?.ToDisplayString() == IdAttribute && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is int id)
                    return id;
            return null;
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
