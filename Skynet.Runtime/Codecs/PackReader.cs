using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Unicode;

namespace Skynet.Codecs;

/// <summary>
/// Reads values in MemoryPack's published binary layout (MemoryPack 1.21.4), mirroring <see cref="PackWriter"/>.
/// Input is untrusted: every read checks the bytes that remain, every length is checked against them before
/// anything is allocated, and every failure is a <see cref="PackException"/>.
/// </summary>
public ref struct PackReader
{
    ReadOnlySpan<byte> rest;
    int consumed;
    int depth;

    /// <summary>Creates a reader over <paramref name="source"/>.</summary>
    /// <param name="source">The bytes to read.</param>
    public PackReader(ReadOnlySpan<byte> source)
    {
        rest = source;
        consumed = 0;
        depth = 0;
    }

    /// <summary>Creates a reader over <paramref name="source"/>. A sequence of several segments is copied into one
    /// array first: messages are small, and one contiguous span keeps every read a bounds-checked slice.</summary>
    /// <param name="source">The bytes to read.</param>
    public PackReader(in ReadOnlySequence<byte> source)
        : this(source.IsSingleSegment ? source.FirstSpan : source.ToArray())
    {
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

    /// <summary>Skips <paramref name="count"/> bytes.</summary>
    /// <param name="count">How many bytes.</param>
    /// <exception cref="PackException">Fewer than <paramref name="count"/> bytes remain, or it is negative.</exception>
    public void Skip(int count) => ReadRaw(count);

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

    /// <summary>Reads an unmanaged value into <paramref name="value"/> (the form generated code prefers).</summary>
    /// <typeparam name="T">An unmanaged type.</typeparam>
    /// <param name="value">Receives the value.</param>
    /// <exception cref="PackException">The input is truncated or holds a bad boolean.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ReadUnmanaged<T>(out T value)
        where T : unmanaged =>
        value = ReadUnmanaged<T>();

    /// <summary>Reads a nullable unmanaged value written by <see cref="PackWriter.WriteNullable{T}"/>.</summary>
    /// <typeparam name="T">An unmanaged type.</typeparam>
    /// <returns>The value, or <see langword="null"/>.</returns>
    /// <exception cref="PackException">The input is truncated or the has-value byte is not 0 or 1.</exception>
    public T? ReadNullable<T>()
        where T : unmanaged
    {
        ReadOnlySpan<byte> span = ReadRaw(Unsafe.SizeOf<T?>());
        return span[0] switch
        {
            0 => null,
            1 => MemoryMarshal.Read<T>(span.Slice(NullableLayout<T>.ValueOffset)),
            _ => throw new PackException($"Invalid has-value byte {span[0]} in a nullable {typeof(T).Name}."),
        };
    }

    /// <summary>Reads an object header.</summary>
    /// <param name="memberCount">Receives the member count (0–249) of a non-null object.</param>
    /// <returns><see langword="false"/> for the null header (255).</returns>
    /// <exception cref="PackException">The input is truncated or the header is a reserved value (250–254).</exception>
    public bool TryReadObjectHeader(out byte memberCount)
    {
        memberCount = ReadUnmanaged<byte>();
        if (memberCount == PackCode.NullObject)
        {
            memberCount = 0;
            return false;
        }
        if (memberCount > PackCode.MaxMemberCount)
        {
            PackException.Throw($"Unknown object header {memberCount} (250-254 are reserved).");
        }
        return true;
    }

    /// <summary>Reads a collection header. Every element of every collection takes at least one byte, so a length
    /// larger than the bytes that remain is rejected here, before the caller allocates for it.</summary>
    /// <param name="length">Receives the element count of a non-null collection.</param>
    /// <returns><see langword="false"/> for the null header (-1).</returns>
    /// <exception cref="PackException">The input is truncated, or the length is below -1 or exceeds the bytes left.</exception>
    public bool TryReadCollectionHeader(out int length)
    {
        length = ReadUnmanaged<int>();
        if (length == PackCode.NullCollection)
        {
            length = 0;
            return false;
        }
        if (length < 0 || length > rest.Length)
        {
            PackException.ThrowLength("collection", length, rest.Length);
        }
        return true;
    }

    /// <summary>Reads a string in either of MemoryPack's forms (UTF-8 with <c>~byteCount</c>, or UTF-16 with a
    /// positive char count).</summary>
    /// <returns>The string, or <see langword="null"/>.</returns>
    /// <exception cref="PackException">The input is truncated, a length is invalid, the UTF-8 is malformed, or the
    /// recorded UTF-16 length does not match the text.</exception>
    public string? ReadString()
    {
        int header = ReadUnmanaged<int>();
        if (header == PackCode.NullCollection)
        {
            return null;
        }
        if (header == 0)
        {
            return string.Empty;
        }
        if (header > 0)
        {
            // UTF-16 form: header is the char count; long arithmetic so a huge count cannot overflow.
            if ((long)header * 2 > rest.Length)
            {
                PackException.ThrowLength("UTF-16 string", header, rest.Length);
            }
            return new string(MemoryMarshal.Cast<byte, char>(ReadRaw(header * 2)));
        }
        int byteCount = ~header;
        int utf16Length = ReadUnmanaged<int>();
        if (byteCount > rest.Length)
        {
            PackException.ThrowLength("UTF-8 string", byteCount, rest.Length);
        }
        ReadOnlySpan<byte> utf8 = ReadRaw(byteCount);
        if (!Utf8.IsValid(utf8))
        {
            PackException.Throw("Invalid UTF-8 in a string.");
        }
        string text = StrictUtf8.Instance.GetString(utf8);
        // -1 means "length unknown" (MemoryPack's WriteUtf8(span)); any other value must be the true length.
        if (utf16Length != -1 && utf16Length != text.Length)
        {
            PackException.Throw($"String header says {utf16Length} UTF-16 units but the text has {text.Length}.");
        }
        return text;
    }

    /// <summary>Reads a collection of unmanaged values written by <see cref="PackWriter.WriteUnmanagedArray{T}"/>
    /// or <see cref="PackWriter.WriteUnmanagedSpan{T}"/>.</summary>
    /// <typeparam name="T">An unmanaged element type.</typeparam>
    /// <returns>The array, or <see langword="null"/>.</returns>
    /// <exception cref="PackException">The input is truncated or the length is invalid.</exception>
    public T[]? ReadUnmanagedArray<T>()
        where T : unmanaged
    {
        if (!TryReadCollectionHeader(out int length))
        {
            return null;
        }
        if ((long)length * Unsafe.SizeOf<T>() > rest.Length)
        {
            PackException.ThrowLength("unmanaged array", length, rest.Length);
        }
        if (typeof(T) == typeof(bool))
        {
            // Validate booleans one by one rather than copying arbitrary bytes into bool slots.
            var flags = new T[length];
            for (int i = 0; i < flags.Length; i++)
            {
                flags[i] = ReadUnmanaged<T>();
            }
            return flags;
        }
        return MemoryMarshal.Cast<byte, T>(ReadRaw(length * Unsafe.SizeOf<T>())).ToArray();
    }

    /// <summary>Reads a MemoryPack VarInt written with any of its type codes.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="PackException">The input is truncated or the value does not fit in an <see cref="int"/>.</exception>
    public int ReadVarIntInt32()
    {
        long value = ReadVarIntInt64();
        if (value < int.MinValue || value > int.MaxValue)
        {
            PackException.Throw($"VarInt {value} does not fit in an int.");
        }
        return (int)value;
    }

    /// <summary>Reads a MemoryPack VarInt written with any of its type codes.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="PackException">The input is truncated or a ulong value exceeds <see cref="long.MaxValue"/>.</exception>
    public long ReadVarIntInt64()
    {
        sbyte code = ReadUnmanaged<sbyte>();
        switch (code)
        {
            case PackCode.VarIntByte: return ReadUnmanaged<byte>();
            case PackCode.VarIntSByte: return ReadUnmanaged<sbyte>();
            case PackCode.VarIntUInt16: return ReadUnmanaged<ushort>();
            case PackCode.VarIntInt16: return ReadUnmanaged<short>();
            case PackCode.VarIntUInt32: return ReadUnmanaged<uint>();
            case PackCode.VarIntInt32: return ReadUnmanaged<int>();
            case PackCode.VarIntInt64: return ReadUnmanaged<long>();
            case PackCode.VarIntUInt64:
                ulong big = ReadUnmanaged<ulong>();
                if (big > long.MaxValue)
                {
                    PackException.Throw($"VarInt {big} does not fit in a long.");
                }
                return (long)big;
            default: return code;
        }
    }

    /// <summary>Reads the per-member byte lengths that follow a version-tolerant object's header.</summary>
    /// <param name="lengths">One slot per member, as many as the header's member count.</param>
    /// <exception cref="PackException">A length is negative, or together they exceed the bytes left.</exception>
    public void ReadMemberLengths(scoped Span<int> lengths)
    {
        long total = 0;
        for (int i = 0; i < lengths.Length; i++)
        {
            int length = ReadVarIntInt32();
            if (length < 0)
            {
                PackException.ThrowLength("member", length, rest.Length);
            }
            lengths[i] = length;
            total += length;
        }
        if (total > rest.Length)
        {
            PackException.ThrowLength("object members", total, rest.Length);
        }
    }

    /// <summary>Takes the next member of a version-tolerant object as a reader of its own, so that reading the
    /// member can neither run past its recorded length nor go unnoticed stopping short of it (check with
    /// <see cref="EnsureEnd"/>). The sub-reader inherits the nesting depth.</summary>
    /// <param name="length">The member's recorded byte length.</param>
    /// <returns>A reader over exactly the member's bytes.</returns>
    /// <exception cref="PackException">Fewer than <paramref name="length"/> bytes remain.</exception>
    public PackReader ReadMember(int length) =>
        new(ReadRaw(length)) { depth = depth };

    /// <summary>Skips the bytes of members this version of the type does not know.</summary>
    /// <param name="lengths">The unknown members' recorded lengths.</param>
    /// <exception cref="PackException">Fewer bytes remain than the lengths add up to.</exception>
    public void SkipMembers(scoped ReadOnlySpan<int> lengths)
    {
        foreach (int length in lengths)
        {
            Skip(length);
        }
    }

    /// <summary>Throws unless every byte has been read: a member (or a whole message) with bytes left over is
    /// malformed.</summary>
    /// <exception cref="PackException">Bytes remain.</exception>
    public readonly void EnsureEnd()
    {
        if (rest.Length != 0)
        {
            PackException.Throw($"{rest.Length} unexpected byte(s) after the value.");
        }
    }

    /// <summary>Reads a packable value through its generated <see cref="IPackable{TSelf}.Unpack"/>, counting
    /// nesting so that deeply nested hostile input fails instead of overflowing the stack.</summary>
    /// <typeparam name="T">The packable type.</typeparam>
    /// <param name="value">Receives the value; an instance passed in may be reused.</param>
    /// <exception cref="PackException">The input is malformed or nests deeper than <see cref="PackCode.MaxDepth"/>.</exception>
    public void ReadPackable<T>(scoped ref T? value)
        where T : IPackable<T>
    {
        if (++depth > PackCode.MaxDepth)
        {
            PackException.Throw($"Object nesting deeper than {PackCode.MaxDepth} while reading {typeof(T).Name}.");
        }
        T.Unpack(ref this, ref value);
        depth--;
    }

    /// <summary>Reads a packable value into a fresh instance.</summary>
    /// <typeparam name="T">The packable type.</typeparam>
    /// <returns>The value, or <see langword="null"/>.</returns>
    /// <exception cref="PackException">The input is malformed.</exception>
    public T? ReadPackable<T>()
        where T : IPackable<T>
    {
        T? value = default;
        ReadPackable(ref value);
        return value;
    }

    /// <summary>Reads a value with the formatter <typeparamref name="TFormatter"/>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <typeparam name="TFormatter">The formatter.</typeparam>
    /// <returns>The value.</returns>
    /// <exception cref="PackException">The input is malformed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T ReadValue<T, TFormatter>()
        where TFormatter : IPackFormatter<T> =>
        TFormatter.Read(ref this);
}
