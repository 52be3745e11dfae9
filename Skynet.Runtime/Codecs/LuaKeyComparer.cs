namespace Skynet.Codecs;

/// <summary>Key equality for <see cref="LuaTable.Hash"/>: Lua strings are byte strings, so keys that arrive as
/// <see cref="byte"/>[] must compare by content; everything else uses its own equality.</summary>
internal sealed class LuaKeyComparer : IEqualityComparer<object>
{
    internal static readonly LuaKeyComparer Instance = new();

    public new bool Equals(object? x, object? y) =>
        x is byte[] a && y is byte[] b ? a.AsSpan().SequenceEqual(b) : object.Equals(x, y);

    public int GetHashCode(object obj)
    {
        if (obj is byte[] bytes)
        {
            var hash = new HashCode();
            hash.AddBytes(bytes);
            return hash.ToHashCode();
        }
        return obj.GetHashCode();
    }
}
