using System.Collections.Frozen;

namespace Skynet;

/// <summary>
/// The datacenter's data: nested branches whose leaves are the stored values. Only the datacenter service touches it,
/// so it needs no locks; what leaves it is either a stored value or a frozen copy of a branch.
/// </summary>
internal sealed class DataCenterTree
{
    sealed class Branch : Dictionary<object, object?>;

    readonly Branch _root = [];

    public object? Get(object[] path)
    {
        object? node = _root;
        foreach (var key in path)
        {
            if (node is not Branch branch || !branch.TryGetValue(key, out node)) return null;
        }
        return Snapshot(node);
    }

    /// <summary>Sets (or, with a null value, removes) the value at <paramref name="path"/>; returns the old value.</summary>
    /// <exception cref="ArgumentException">A key on the way holds a value, not a branch.</exception>
    public object? Set(object[] path, object? value)
    {
        if (path.Length == 0) throw new ArgumentException("datacenter: a path needs at least one key.");
        var branch = _root;
        for (var i = 0; i < path.Length - 1; i++)
        {
            if (!branch.TryGetValue(path[i], out var next) || next is null)
            {
                if (value is null) return null; // removing under a branch that does not exist
                branch[path[i]] = next = new Branch();
            }
            branch = next as Branch
                ?? throw new ArgumentException($"datacenter: {DataCenterPath.Format(path[..(i + 1)])} holds a value, not a branch, so {DataCenterPath.Format(path)} cannot be set.");
        }
        var key = path[^1];
        branch.TryGetValue(key, out var old);
        if (value is null) branch.Remove(key);
        else branch[key] = value;
        return Snapshot(old);
    }

    static object? Snapshot(object? node) => node is Branch branch ? Freeze(branch) : node;

    static FrozenDictionary<object, object?> Freeze(Branch branch)
    {
        var copy = new Dictionary<object, object?>(branch.Count);
        foreach (var (key, value) in branch) copy[key] = Snapshot(value);
        return copy.ToFrozenDictionary();
    }
}
