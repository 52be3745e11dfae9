using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Unicode;

namespace Skynet.Codecs;

/// <summary>
/// Writes values in MemoryPack's published binary layout (MemoryPack 1.21.4) to an
/// <see cref="IBufferWriter{T}"/>. Values are little-endian (like MemoryPack, the codec assumes a little-endian
/// host). Call <see cref="Flush"/> when done: bytes are committed to the output in chunks, not per value.
/// </summary>
public ref struct PackWriter
{
    readonly IBufferWriter<byte> output;
    Span<byte> buffer;   // the span last obtained from output
    int buffered;        // bytes written into buffer but not yet advanced on output
    int written;
    int depth;

    /// <summary>Creates a writer that appends to <paramref name="output"/>.</summary>
    /// <param name="output">The destination; <see cref="Flush"/> advances it.</param>
    public PackWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        this.output = output;
        buffer = default;
        buffered = 0;
        written = 0;
        depth = 0;
    }

    /// <summary>Bytes written through this writer since it was created, flushed or not.</summary>
    public readonly int WrittenCount => written;

    /// <summary>Commits every buffered byte to the output. Call it once after the last write.</summary>
    public void Flush()
    {
        if (buffered != 0)
        {
            output.Advance(buffered);
            buffered = 0;
        }
        buffer = default;
    }

    /// <summary>Returns a span of at least <paramref name="size"/> bytes to write into, then call
    /// <see cref="Advance"/> with the count actually written.</summary>
    /// <param name="size">The number of bytes needed.</param>
    /// <returns>A span of at least <paramref name="size"/> bytes.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> GetSpan(int size)
    {
        if (buffer.Length - buffered < size)
        {
            Renew(size);
        }
        return buffer.Slice(buffered);
    }

    /// <summary>Marks <paramref name="count"/> bytes of the last <see cref="GetSpan"/> as written.</summary>
    /// <param name="count">Bytes written.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Advance(int count)
    {
        if ((uint)count > (uint)(buffer.Length - buffered))
        {
            throw new ArgumentOutOfRangeException(nameof(count), "Advanced past the span returned by GetSpan.");
        }
        buffered += count;
        written += count;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    void Renew(int size)
    {
        if (buffered != 0)
        {
            output.Advance(buffered);
            buffered = 0;
        }
        buffer = output.GetSpan(size);
        if (buffer.Length < size)
        {
            throw new InvalidOperationException("The buffer writer returned a span smaller than requested.");
        }
    }

    /// <summary>Writes the raw memory of an unmanaged value (a primitive, an enum, or a struct without padding),
    /// as MemoryPack's "unmanaged struct" form.</summary>
    /// <typeparam name="T">An unmanaged type.</typeparam>
    /// <param name="value">The value.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteUnmanaged<T>(scoped in T value)
        where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        MemoryMarshal.Write(GetSpan(size), in value);
        Advance(size);
    }

    /// <summary>Writes a <see cref="Nullable{T}"/> of an unmanaged type as MemoryPack does: the raw
    /// <c>Nullable&lt;T&gt;</c> layout (a has-value byte, padding to <typeparamref name="T"/>'s alignment, the
    /// value). Padding and the value of an empty nullable are written as zeros so output is deterministic.</summary>
    /// <typeparam name="T">An unmanaged type.</typeparam>
    /// <param name="value">The value.</param>
    public void WriteNullable<T>(scoped in T? value)
        where T : unmanaged
    {
        int size = Unsafe.SizeOf<T?>();
        Span<byte> span = GetSpan(size).Slice(0, size);
        span.Clear();
        if (value.HasValue)
        {
            span[0] = 1;
            MemoryMarshal.Write(span.Slice(NullableLayout<T>.ValueOffset), in Nullable.GetValueRefOrDefaultRef(in value));
        }
        Advance(size);
    }

    /// <summary>Writes an object header: the member count of a non-null object.</summary>
    /// <param name="memberCount">0 to <see cref="PackCode.MaxMemberCount"/>.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteObjectHeader(byte memberCount)
    {
        if (memberCount > PackCode.MaxMemberCount)
        {
            throw new ArgumentOutOfRangeException(nameof(memberCount), memberCount, "MemoryPack objects have at most 249 members.");
        }
        GetSpan(1)[0] = memberCount;
        Advance(1);
    }

    /// <summary>Writes the header of a <see langword="null"/> object (255).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteNullObjectHeader()
    {
        GetSpan(1)[0] = PackCode.NullObject;
        Advance(1);
    }

    /// <summary>Writes a collection header: the element count as int32.</summary>
    /// <param name="length">The element count, not negative.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteCollectionHeader(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        WriteUnmanaged(length);
    }

    /// <summary>Writes the header of a <see langword="null"/> collection or string (int32 -1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteNullCollectionHeader() => WriteUnmanaged(PackCode.NullCollection);

    /// <summary>Writes a string in MemoryPack's UTF-8 form: int32 <c>~utf8ByteCount</c>, int32 UTF-16 length,
    /// the UTF-8 bytes. <see langword="null"/> is int32 -1 and the empty string is int32 0, with nothing after.</summary>
    /// <param name="value">The string.</param>
    /// <exception cref="PackException">The string holds an unpaired surrogate, which UTF-8 cannot carry.</exception>
    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteNullCollectionHeader();
            return;
        }
        if (value.Length == 0)
        {
            WriteUnmanaged(0);
            return;
        }
        // Worst case 3 bytes per UTF-16 unit; computed in long so a huge string cannot overflow the hint.
        long max = (long)value.Length * 3 + 8;
        int bytes;
        if (max <= 4096)
        {
            Span<byte> span = GetSpan((int)max);
            bytes = EncodeUtf8(value, span.Slice(8));
            WriteStringHeader(span, bytes, value.Length);
        }
        else
        {
            bytes = StrictUtf8.ByteCount(value);
            Span<byte> span = GetSpan(checked(bytes + 8));
            EncodeUtf8(value, span.Slice(8));
            WriteStringHeader(span, bytes, value.Length);
        }
        Advance(bytes + 8);
    }

    static void WriteStringHeader(Span<byte> span, int utf8Bytes, int utf16Length)
    {
        MemoryMarshal.Write(span, ~utf8Bytes);
        MemoryMarshal.Write(span.Slice(4), utf16Length);
    }

    static int EncodeUtf8(string value, Span<byte> destination)
    {
        OperationStatus status = Utf8.FromUtf16(value, destination, out _, out int written, replaceInvalidSequences: false);
        if (status != OperationStatus.Done)
        {
            PackException.Throw("The string holds an unpaired surrogate and cannot be written as UTF-8.");
        }
        return written;
    }

    /// <summary>Writes a span of unmanaged values as a collection: int32 count, then the raw elements.
    /// Use it for byte spans too.</summary>
    /// <typeparam name="T">An unmanaged element type.</typeparam>
    /// <param name="values">The elements.</param>
    public void WriteUnmanagedSpan<T>(scoped ReadOnlySpan<T> values)
        where T : unmanaged
    {
        ReadOnlySpan<byte> bytes = MemoryMarshal.AsBytes(values);
        Span<byte> span = GetSpan(checked(bytes.Length + 4));
        MemoryMarshal.Write(span, values.Length);
        bytes.CopyTo(span.Slice(4));
        Advance(bytes.Length + 4);
    }

    /// <summary>Writes an array of unmanaged values as a collection; <see langword="null"/> writes -1.</summary>
    /// <typeparam name="T">An unmanaged element type.</typeparam>
    /// <param name="values">The array, or <see langword="null"/>.</param>
    public void WriteUnmanagedArray<T>(T[]? values)
        where T : unmanaged
    {
        if (values is null)
        {
            WriteNullCollectionHeader();
            return;
        }
        WriteUnmanagedSpan<T>(values);
    }

    /// <summary>Writes a MemoryPack VarInt: one sbyte holding the value (-120..127) or a type code followed by
    /// the smallest integer type that holds it, chosen exactly as MemoryPack's <c>WriteVarInt(int)</c> does.</summary>
    /// <param name="value">The value.</param>
    public void WriteVarInt(int value)
    {
        if (value >= PackCode.VarIntMinSingle && value <= sbyte.MaxValue)
        {
            WriteUnmanaged((sbyte)value);
        }
        else if (value >= sbyte.MinValue && value < 0)
        {
            WriteCoded(PackCode.VarIntSByte, (sbyte)value);
        }
        else if (value >= short.MinValue && value <= short.MaxValue)
        {
            WriteCoded(PackCode.VarIntInt16, (short)value);
        }
        else
        {
            WriteCoded(PackCode.VarIntInt32, value);
        }
    }

    void WriteCoded<T>(sbyte code, T value)
        where T : unmanaged
    {
        WriteUnmanaged(code);
        WriteUnmanaged(value);
    }

    /// <summary>Writes a version-tolerant object: the member count, each member's byte length as a VarInt, then
    /// the members' bytes. The generator writes the members into a scratch buffer (see <see cref="PackScratch"/>),
    /// recording <see cref="WrittenCount"/> after each one, then calls this.</summary>
    /// <param name="memberEnds">For each member, the offset in <paramref name="members"/> where it ends.</param>
    /// <param name="members">The members' bytes, in order.</param>
    public void WriteVersionTolerantObject(scoped ReadOnlySpan<int> memberEnds, scoped ReadOnlySpan<byte> members)
    {
        if (memberEnds.Length > PackCode.MaxMemberCount)
        {
            throw new ArgumentOutOfRangeException(nameof(memberEnds), "MemoryPack objects have at most 249 members.");
        }
        WriteObjectHeader((byte)memberEnds.Length);
        int start = 0;
        foreach (int end in memberEnds)
        {
            if (end < start || end > members.Length)
            {
                throw new ArgumentException("Member end offsets must ascend within the member bytes.", nameof(memberEnds));
            }
            WriteVarInt(end - start);
            start = end;
        }
        if (start != members.Length)
        {
            throw new ArgumentException("The last member must end where the member bytes end.", nameof(memberEnds));
        }
        WriteRaw(members);
    }

    /// <summary>Copies bytes to the output as they are, with no header.</summary>
    /// <param name="bytes">The bytes.</param>
    public void WriteRaw(scoped ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        Advance(bytes.Length);
    }

    /// <summary>Writes a packable value through its generated <see cref="IPackable{TSelf}.Pack"/>, counting
    /// nesting so that a cyclic object graph fails instead of overflowing the stack.</summary>
    /// <typeparam name="T">The packable type.</typeparam>
    /// <param name="value">The value, or <see langword="null"/>.</param>
    /// <exception cref="PackException">Nesting went deeper than <see cref="PackCode.MaxDepth"/>.</exception>
    public void WritePackable<T>(scoped in T? value)
        where T : IPackable<T>
    {
        if (++depth > PackCode.MaxDepth)
        {
            PackException.Throw($"Object nesting deeper than {PackCode.MaxDepth} while writing {typeof(T).Name} (a cycle?).");
        }
        T.Pack(ref this, in value);
        depth--;
    }

    /// <summary>Writes a value with the formatter <typeparamref name="TFormatter"/>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <typeparam name="TFormatter">The formatter.</typeparam>
    /// <param name="value">The value.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteValue<T, TFormatter>(scoped in T value)
        where TFormatter : IPackFormatter<T> =>
        TFormatter.Write(ref this, in value);
}
