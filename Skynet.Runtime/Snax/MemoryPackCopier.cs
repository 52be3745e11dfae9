using System.Buffers;
using MemoryPack;
using System.ComponentModel;

namespace Skynet.Codecs;

/// <summary>
/// Copies any value MemoryPack can write by a MemoryPack round trip through a pooled buffer: the copier of mutable
/// types that have no generated one (collections other than list, array, set and dictionary; circular-reference
/// and custom-formatter types; types from assemblies built without Skynet's generator).
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class MemoryPackCopier<T> : IDeepCopier<T>
{
    [ThreadStatic]
    static ArrayBufferWriter<byte>? t_buffer;

    MemoryPackCopier()
    {
    }

    /// <inheritdoc/>
    public static T Copy(T value)
    {
        if (value is null) return value;
        // Taken out while in use, so a formatter that copies again on this thread gets its own buffer.
        var buffer = t_buffer ?? new ArrayBufferWriter<byte>(256);
        t_buffer = null;
        try
        {
            MemoryPackSerializer.Serialize(buffer, value);
            return MemoryPackSerializer.Deserialize<T>(buffer.WrittenSpan)!;
        }
        finally
        {
            buffer.ResetWrittenCount();
            if (buffer.Capacity <= 64 * 1024) t_buffer = buffer; // a huge message does not pin its buffer
        }
    }
}
