using System.Buffers;

namespace Skynet.Codecs;

/// <summary>
/// Per-thread pool of scratch buffers for version-tolerant objects, whose member lengths must be known before
/// the members are written. Nested objects each rent their own buffer, so the pool is a small stack.
/// </summary>
/// <example>
/// Generated code follows this shape:
/// <code>
/// ArrayBufferWriter&lt;byte&gt; scratch = PackScratch.Rent();
/// try
/// {
///     var members = new PackWriter(scratch);
///     Span&lt;int&gt; ends = stackalloc int[2];
///     members.WriteString(value.Name); ends[0] = members.WrittenCount;
///     members.WriteUnmanaged(value.Age); ends[1] = members.WrittenCount;
///     members.Flush();
///     writer.WriteVersionTolerantObject(ends, scratch.WrittenSpan);
/// }
/// finally
/// {
///     PackScratch.Return(scratch);
/// }
/// </code>
/// </example>
public static class PackScratch
{
    // Buffers that grew past this are dropped rather than pooled, so one huge message does not pin memory.
    const int MaxPooledCapacity = 1 << 20;
    const int MaxPooled = 8;

    [ThreadStatic]
    static Stack<ArrayBufferWriter<byte>>? pool;

    /// <summary>Takes an empty scratch buffer from this thread's pool, or makes one.</summary>
    /// <returns>An empty buffer; give it back with <see cref="Return"/>.</returns>
    public static ArrayBufferWriter<byte> Rent() =>
        pool is { Count: > 0 } p ? p.Pop() : new ArrayBufferWriter<byte>(256);

    /// <summary>Empties a buffer from <see cref="Rent"/> and returns it to this thread's pool.</summary>
    /// <param name="buffer">The buffer; do not use it afterwards.</param>
    public static void Return(ArrayBufferWriter<byte> buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (buffer.Capacity > MaxPooledCapacity)
        {
            return;
        }
        buffer.ResetWrittenCount();
        Stack<ArrayBufferWriter<byte>> p = pool ??= new Stack<ArrayBufferWriter<byte>>();
        if (p.Count < MaxPooled)
        {
            p.Push(buffer);
        }
    }
}
