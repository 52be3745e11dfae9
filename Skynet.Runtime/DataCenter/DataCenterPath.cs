namespace Skynet;

/// <summary>Paths of datacenter keys: validation, structural equality and display.</summary>
internal static class DataCenterPath
{
    public static readonly IEqualityComparer<object[]> Comparer = new PathComparer();

    public static object[] Check(object[] path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0) throw new ArgumentException("A datacenter path needs at least one key, like Get(\"multicast\", 1).", nameof(path));
        object[]? normalized = null;
        for (var i = 0; i < path.Length; i++)
        {
            var key = path[i] ?? throw new ArgumentException("A datacenter key cannot be null.", nameof(path));
            // Lua has one integer type: 1 and 1L name one key, also after a key crossed the cluster as a Lua integer.
            if (AsLong(key) is not { } integer) continue;
            normalized ??= (object[])path.Clone();
            normalized[i] = integer;
        }
        return normalized ?? path;
    }

    static long? AsLong(object key) => key switch
    {
        int v => v,
        short v => v,
        sbyte v => v,
        byte v => v,
        ushort v => v,
        uint v => v,
        _ => null,
    };

    public static string Format(object[] path) => string.Join('/', path);

    sealed class PathComparer : IEqualityComparer<object[]>
    {
        public bool Equals(object[]? x, object[]? y)
        {
            if (ReferenceEquals(x, y)) return true;
            if (x is null || y is null || x.Length != y.Length) return false;
            for (var i = 0; i < x.Length; i++)
                if (!x[i].Equals(y[i])) return false;
            return true;
        }

        public int GetHashCode(object[] path)
        {
            var hash = new HashCode();
            foreach (var key in path) hash.Add(key);
            return hash.ToHashCode();
        }
    }
}

/// <summary>The reply to a WAIT whose timeout passed first; the client turns it into a <see cref="TimeoutException"/>.</summary>
internal sealed class DataCenterTimedOut
{
    public static readonly DataCenterTimedOut Instance = new();
}
