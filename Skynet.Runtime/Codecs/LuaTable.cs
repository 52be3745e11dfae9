namespace Skynet.Codecs;

/// <summary>
/// A Lua table as <see cref="SkynetPack"/> carries it: the array part (Lua indices 1..n, <see langword="null"/>
/// for nil holes) and the hash part. Tables are compared by reference, as in Lua.
/// </summary>
/// <remarks>
/// Hash keys are <see cref="bool"/>, <see cref="long"/> (integers must be <see cref="long"/>, as Lua integers are),
/// <see cref="double"/>, <see cref="string"/>, <see cref="byte"/>[] (compared by content), <see cref="LuaTable"/> or
/// <see cref="LuaLightUserData"/>. Hash values of <see langword="null"/> are skipped when packing, because a Lua table
/// cannot hold nil; so are integer keys 1..n that the array part already covers, exactly as lua-seri skips them.
/// </remarks>
public sealed class LuaTable
{
    /// <summary>Creates an empty table.</summary>
    public LuaTable()
        : this(0)
    {
    }

    /// <summary>Creates an empty table with room for <paramref name="arrayCapacity"/> array elements.</summary>
    /// <param name="arrayCapacity">Expected length of the array part.</param>
    public LuaTable(int arrayCapacity)
    {
        Array = new List<object?>(arrayCapacity);
        Hash = new Dictionary<object, object?>(LuaKeyComparer.Instance);
    }

    /// <summary>The array part: element <c>i</c> here is Lua's <c>t[i + 1]</c>.</summary>
    public List<object?> Array { get; }

    /// <summary>The hash part, keyed with Lua's key equality (byte arrays by content).</summary>
    public Dictionary<object, object?> Hash { get; }

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/> as Lua's <c>rawset</c> would after
    /// unpacking: integral float keys become integers, keys 1..n land in the array part, nil removes.</summary>
    /// <param name="key">The key; not <see langword="null"/> and not NaN.</param>
    /// <param name="value">The value; <see langword="null"/> removes the key.</param>
    /// <exception cref="ArgumentException">The key is nil or NaN, which Lua tables reject.</exception>
    public void RawSet(object key, object? value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key is double d)
        {
            if (double.IsNaN(d))
            {
                throw new ArgumentException("A Lua table key cannot be NaN.", nameof(key));
            }
            // Lua normalises float keys with an integral value to integer keys (2.0 and 2 are the same key).
            if (d == Math.Floor(d) && d >= -9.2233720368547758E18 && d < 9.2233720368547758E18)
            {
                key = (long)d;
            }
        }
        if (key is long index && index >= 1 && index <= Array.Count)
        {
            Array[(int)(index - 1)] = value;
        }
        else if (value is null)
        {
            Hash.Remove(key);
        }
        else
        {
            Hash[key] = value;
        }
    }
}
