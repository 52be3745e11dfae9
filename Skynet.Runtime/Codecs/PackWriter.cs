using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Skynet.Codecs;

/// <summary>
/// The byte-level writer under <see cref="SkynetPack"/>: little-endian unmanaged values and raw bytes, appended to
/// an <see cref="IBufferWriter{T}"/> in chunks. Call <see cref="Flush"/> when done. (Message types are MemoryPack
/// types and use MemoryPack's own writer; this one knows nothing about MemoryPack's layout.)
/// </summary>
public ref struct PackWriter
{
    readonly IBufferWriter<byte> output;
    Span<byte> buffer;   // the span last obtained from output
    int buffered;        // bytes written into buffer but not yet advanced on output
    int written;

    /// <summary>Creates a writer that appends to <paramref name="output"/>.</summary>
    /// <param name="output">The destination; <see cref="Flush"/> advances it.</param>
    public PackWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        this.output = output;
        buffer = default;
        buffered = 0;
        written = 0;
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

    /// <summary>Writes the raw little-endian memory of an unmanaged value.</summary>
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

    /// <summary>Copies bytes to the output as they are, with no header.</summary>
    /// <param name="bytes">The bytes.</param>
    public void WriteRaw(scoped ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        Advance(bytes.Length);
    }
}
