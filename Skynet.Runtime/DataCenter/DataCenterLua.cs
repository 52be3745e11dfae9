using System.Collections.Frozen;
using Skynet.Codecs;

namespace Skynet;

/// <summary>
/// Datacenter values on the cluster wire: a branch snapshot (a read-only dictionary) travels as a Lua table and comes
/// back as the same kind of frozen snapshot a local read gives, so callers see one shape whichever node serves them.
/// </summary>
internal static class DataCenterLua
{
    public static object? ToLua(object? value)
    {
        if (value is not IReadOnlyDictionary<object, object?> branch) return value;
        var table = new LuaTable();
        foreach (var (key, item) in branch) table.RawSet(key, ToLua(item));
        return table;
    }

    public static object? FromLua(object? value)
    {
        if (value is not LuaTable table) return value;
        var copy = new Dictionary<object, object?>(table.Array.Count + table.Hash.Count);
        for (var i = 0; i < table.Array.Count; i++)
            if (table.Array[i] is { } item) copy[(long)(i + 1)] = FromLua(item);
        foreach (var (key, item) in table.Hash) copy[key] = FromLua(item);
        return copy.ToFrozenDictionary();
    }
}
