using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Skynet.Codecs;

/// <summary>
/// The byte-level reader under <see cref="SkynetPack"/>, mirroring <see cref="PackWriter"/>. Input is untrusted:
/// every read checks the bytes that remain and every failure is a <see cref="PackException"/>.
/// </summary>
public ref struct PackReader
{
    ReadOnlySpan<byte> rest;
    int consumed;

    /// <summary>Creates a reader over <paramref name="source"/>.</summary>
    /// <param name="source">The bytes to read.</param>
    public PackReader(ReadOnlySpan<byte> source)
    {
        rest = source;
        consumed = 0;
    }

    /// <summary>Bytes read so far.</summary>
    public readonly int Consumed => consumed;

    /// <summary>Bytes not yet read.</summary>
    public readonly int Remaining => rest.Length;

    /// <summary>Takes the next <paramref name="count"/> bytes as they are.</summary>
    /// <param name="count">How many bytes.</param>
    /// <returns>The bytes, a slice of the input.</returns>
    /// <exception cref="PackException">Fewer than <paramref name="count"/> bytes remain, or it is negative.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> ReadRaw(int count)
    {
        if ((uint)count > (uint)rest.Length)
        {
            PackException.ThrowLength("raw", count, rest.Length);
        }
        ReadOnlySpan<byte> taken = rest.Slice(0, count);
        rest = rest.Slice(count);
        consumed += count;
        return taken;
    }

    /// <summary>Reads an unmanaged value written by <see cref="PackWriter.WriteUnmanaged{T}"/>. A
    /// <see cref="bool"/> must be 0 or 1.</summary>
    /// <typeparam name="T">An unmanaged type.</typeparam>
    /// <returns>The value.</returns>
    /// <exception cref="PackException">The input is truncated or holds a bad boolean.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T ReadUnmanaged<T>()
        where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        if (rest.Length < size)
        {
            PackException.ThrowTruncated(size, rest.Length);
        }
        // A bool byte other than 0/1 would make a value that compares unequal to both true and false.
        if (typeof(T) == typeof(bool) && rest[0] > 1)
        {
            PackException.Throw($"Invalid boolean byte {rest[0]}.");
        }
        T value = MemoryMarshal.Read<T>(rest);
        rest = rest.Slice(size);
        consumed += size;
        return value;
    }
}
