namespace Skynet.Sproto;

/// <summary>
/// skynet's <c>sprotoloader</c>: 16 process-wide slots where one service saves parsed schemas at start
/// (<c>protoloader.lua</c>) and every agent loads them by index, so the text is parsed once per process.
/// </summary>
public static class SprotoLoader
{
    /// <summary>skynet's <c>MAX_GLOBALSPROTO</c>.</summary>
    public const int Slots = 16;

    static readonly SprotoSchema?[] Saved = new SprotoSchema?[Slots];

    /// <summary>Saves <paramref name="schema"/> in slot <paramref name="index"/> (<c>sprotoloader.save</c>).</summary>
    /// <param name="schema">A parsed schema.</param>
    /// <param name="index">0..15.</param>
    public static void Save(SprotoSchema schema, int index)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Slots);
        Volatile.Write(ref Saved[index], schema);
    }

    /// <summary>Loads the schema saved in slot <paramref name="index"/> (<c>sprotoloader.load</c>).</summary>
    /// <param name="index">0..15.</param>
    /// <exception cref="InvalidOperationException">Nothing was saved there yet.</exception>
    public static SprotoSchema Load(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Slots);
        return Volatile.Read(ref Saved[index]) ?? throw new InvalidOperationException($"sproto slot {index} is empty: save a schema there first (skynet's protoloader)");
    }
}
