using Microsoft.CodeAnalysis;

namespace Skynet.Analyzers.Helpers;

/// <summary>
/// What may cross a node (see docs/diagnostics/SKY1013.md): primitives, <c>decimal</c>, <c>string</c>, enums,
/// <c>Guid</c>, <c>DateTime</c>, <c>DateTimeOffset</c>, <c>TimeSpan</c>, <c>Address</c>, <c>[Packable]</c> and
/// <c>[Immutable]</c> types, and <c>T?</c>, <c>T[]</c>, <c>List&lt;T&gt;</c>, <c>HashSet&lt;T&gt;</c>,
/// <c>Dictionary&lt;K, V&gt;</c> and value tuples of those. Type parameters are accepted (the generator checks the instantiation).
/// </summary>
internal static class Packability
{
    /// <summary>Null when <paramref name="type"/> is packable, otherwise why not, in words for the diagnostic.</summary>
    public static string? WhyNot(ITypeSymbol type, SkynetTypes types) => WhyNot(type, types, 0);

    static string? WhyNot(ITypeSymbol type, SkynetTypes types, int depth)
    {
        if (depth > 8) return null;
        switch (type.TypeKind)
        {
            case TypeKind.Pointer:
            case TypeKind.FunctionPointer:
                return $"'{Display(type)}' is a pointer, and pointers do not cross a node";
            case TypeKind.Delegate:
                return $"'{Display(type)}' is a delegate, and code does not cross a node";
            case TypeKind.TypeParameter:
            case TypeKind.Error:
                return null;
            case TypeKind.Enum:
                return null;
            case TypeKind.Dynamic:
                return "'dynamic' has no wire layout";
            case TypeKind.Array:
                var array = (IArrayTypeSymbol)type;
                return array.Rank == 1 ? WhyNot(array.ElementType, types, depth + 1) : $"'{Display(type)}' is a multi-dimensional array; use a jagged array";
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean:
            case SpecialType.System_Char:
            case SpecialType.System_SByte:
            case SpecialType.System_Byte:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
            case SpecialType.System_Single:
            case SpecialType.System_Double:
            case SpecialType.System_Decimal:
            case SpecialType.System_String:
            case SpecialType.System_DateTime:
                return null;
            case SpecialType.System_Object:
                return "'object' has no wire layout; use a [Packable] type";
            case SpecialType.System_IntPtr:
            case SpecialType.System_UIntPtr:
                return $"'{Display(type)}' is a native pointer-sized handle that means nothing on another node";
        }

        if (type is not INamedTypeSymbol named) return $"'{Display(type)}' is not packable";
        if (IsOneOf(named, types.Guid, types.DateTimeOffset, types.TimeSpan, types.Address)) return null;
        if (SkynetTypes.HasAttribute(named.OriginalDefinition, types.PackableAttribute) ||
            SkynetTypes.HasAttribute(named.OriginalDefinition, types.ImmutableAttribute)) return null;

        if (named.IsTupleType)
        {
            foreach (var element in named.TupleElements)
                if (WhyNot(element.Type, types, depth + 1) is { } why) return why;
            return null;
        }
        if (named.IsGenericType)
        {
            var definition = named.OriginalDefinition;
            if (definition.SpecialType == SpecialType.System_Nullable_T ||
                IsOneOf(definition, types.ListOfT, types.HashSetOfT, types.DictionaryOfTT))
            {
                foreach (var argument in named.TypeArguments)
                    if (WhyNot(argument, types, depth + 1) is { } why) return why;
                return null;
            }
        }
        return $"'{Display(type)}' is not [Packable] or [Immutable]";
    }

    static bool IsOneOf(INamedTypeSymbol type, params INamedTypeSymbol?[] candidates)
    {
        foreach (var candidate in candidates)
            if (SymbolEqualityComparer.Default.Equals(type, candidate)) return true;
        return false;
    }

    static string Display(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
}
