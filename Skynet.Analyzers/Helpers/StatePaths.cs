using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Skynet.Analyzers.Helpers;

/// <summary>
/// Numbers the pieces of service state one coroutine touches: a path from <c>this</c> through fields and properties
/// (<c>_balance</c>, <c>_player.Gold</c>, <c>_lobby.Rooms</c>), where <c>this</c> is the service or a type nested in
/// it, and each step after the first goes through a type declared in source (the game's own mutable objects).
/// </summary>
/// <remarks>
/// A path is tracked when its value can change: a writable member, or a collection (its elements change even when
/// the field holding it is readonly). A readonly field of a class type is only a prefix: <c>_player</c> never
/// changes, <c>_player.Gold</c> does.
/// </remarks>
internal sealed class StatePaths(SkynetTypes types)
{
    const int MaxDepth = 4;

    readonly Dictionary<(int Parent, ISymbol Member), int> _ids = new(new StepComparer());
    readonly List<Entry> _entries = [];
    readonly Dictionary<ILocalSymbol, int> _aliases = new(SymbolEqualityComparer.Default);
    readonly Dictionary<CaptureId, IOperation> _captures = [];

    sealed class Entry(string name, bool tracked, bool collection, ITypeSymbol type, int depth)
    {
        public string Name { get; } = name;
        public bool Tracked { get; } = tracked;
        public bool Collection { get; } = collection;
        public ITypeSymbol Type { get; } = type;
        public int Depth { get; } = depth;
    }

    /// <summary>How many paths have been numbered (the size of the flow state).</summary>
    public int Count => _entries.Count;

    public string Name(int path) => _entries[path].Name;

    public bool IsCollection(int path) => _entries[path].Collection;

    /// <summary>Makes <paramref name="local"/> stand for <paramref name="path"/> (<c>var d = _db;</c>).</summary>
    public void AddAlias(ILocalSymbol local, int path) => _aliases[local] = path;

    /// <summary>
    /// Records what a flow capture holds: the graph captures a receiver (<c>_bag</c> in <c>_bag.Add(id, new Item { ... })</c>)
    /// before evaluating arguments that take several operations.
    /// </summary>
    public void AddCapture(CaptureId id, IOperation value) => _captures[id] = value;

    /// <summary>The collection whose element <paramref name="operation"/> is (<c>_d[k]</c>, <c>_slots[i]</c>, or a capture of one), or null.</summary>
    public int? ElementOwner(IOperation operation)
    {
        while (operation is IFlowCaptureReferenceOperation capture && _captures.TryGetValue(capture.Id, out var captured)) operation = captured;
        return operation switch
        {
            IPropertyReferenceOperation { Property.Parameters.Length: > 0, Instance: { } instance } when Resolve(instance) is { } owner && IsCollection(owner) => owner,
            IArrayElementReferenceOperation element when Resolve(element.ArrayReference) is { } array => array,
            _ => null,
        };
    }

    /// <summary>The tracked state <paramref name="operation"/> refers to, or null.</summary>
    public int? Resolve(IOperation operation) => ResolvePath(operation) is { } path && _entries[path].Tracked ? path : null;

    /// <summary>The state path <paramref name="operation"/> refers to, tracked or a prefix only, or null.</summary>
    public int? ResolvePath(IOperation operation)
    {
        while (operation is IConversionOperation { Conversion.IsIdentity: true } or IParenthesizedOperation)
            operation = operation is IConversionOperation conversion ? conversion.Operand : ((IParenthesizedOperation)operation).Operand;

        ISymbol member;
        ITypeSymbol type;
        bool writable;
        IOperation? instance;
        switch (operation)
        {
            case ILocalReferenceOperation local:
                return _aliases.TryGetValue(local.Local, out var aliased) ? aliased : null;
            case IFlowCaptureReferenceOperation capture:
                return _captures.TryGetValue(capture.Id, out var captured) ? ResolvePath(captured) : null;
            case IFieldReferenceOperation { Field: { IsStatic: false, IsConst: false } field } reference:
                member = field;
                type = field.Type;
                writable = !field.IsReadOnly;
                instance = reference.Instance;
                break;
            case IPropertyReferenceOperation { Property: { IsStatic: false, Parameters.Length: 0 } property } reference:
                member = property;
                type = property.Type;
                writable = property.SetMethod is { IsInitOnly: false };
                instance = reference.Instance;
                break;
            default:
                return null;
        }
        if (SymbolEqualityComparer.Default.Equals(type, types.CriticalSection)) return null;

        int parent;
        int depth;
        if (instance is IInstanceReferenceOperation)
        {
            if (!IsServiceCode(member.ContainingType)) return null;
            parent = -1;
            depth = 1;
        }
        else if (instance is not null && ResolvePath(instance) is { } owner && IsUserObject(_entries[owner].Type) && _entries[owner].Depth < MaxDepth)
        {
            parent = owner;
            depth = _entries[owner].Depth + 1;
        }
        else return null;

        if (_ids.TryGetValue((parent, member), out var id)) return id;
        var collection = IsCollection(type);
        var tracked = writable || collection;
        if (!tracked && !IsUserObject(type)) return null;
        id = _entries.Count;
        _entries.Add(new Entry(parent < 0 ? member.Name : _entries[parent].Name + "." + member.Name, tracked, collection, type, depth));
        _ids.Add((parent, member), id);
        return id;
    }

    /// <summary>Code of the service: the service class (not Skynet.Service itself) or a type nested in it.</summary>
    bool IsServiceCode(INamedTypeSymbol? type) =>
        type is not null && !SymbolEqualityComparer.Default.Equals(type, types.Service) && types.ContainingService(type) is not null;

    /// <summary>A class or struct of the game's own (declared in source), whose members are state too.</summary>
    bool IsUserObject(ITypeSymbol type) =>
        type.TypeKind is TypeKind.Class or TypeKind.Struct && type.SpecialType == SpecialType.None && !types.IsService(type) &&
        type.Locations.Length > 0 && type.Locations[0].IsInSource;

    /// <summary>Arrays and the mutable BCL collections (List, Dictionary, HashSet, Queue, ConcurrentDictionary...).</summary>
    static bool IsCollection(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol) return true;
        if (type is not INamedTypeSymbol named) return false;
        var ns = named.ContainingNamespace?.ToDisplayString();
        return ns is "System.Collections.Generic" or "System.Collections.Concurrent" or "System.Collections.ObjectModel" or "System.Collections" &&
               named.TypeKind is TypeKind.Class or TypeKind.Interface;
    }

    sealed class StepComparer : IEqualityComparer<(int Parent, ISymbol Member)>
    {
        public bool Equals((int Parent, ISymbol Member) x, (int Parent, ISymbol Member) y) =>
            x.Parent == y.Parent && SymbolEqualityComparer.Default.Equals(x.Member, y.Member);

        public int GetHashCode((int Parent, ISymbol Member) obj) => obj.Parent * 397 ^ SymbolEqualityComparer.Default.GetHashCode(obj.Member);
    }
}
