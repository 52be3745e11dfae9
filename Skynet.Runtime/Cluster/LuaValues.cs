using System.Buffers;
using Skynet.Codecs;

namespace Skynet;

/// <summary>
/// How "lua" messages cross the cluster boundary: in-process a request is its argument list (<c>object?[]</c>) and a
/// reply is one value, or an <c>object?[]</c> for several; on the wire both are <c>skynet.pack</c> bytes.
/// </summary>
internal static class LuaValues
{
    /// <summary>Packs a request's argument list, or a single value, into an array of exactly its size.</summary>
    public static byte[] PackArgs(object? payload)
    {
        // Packed into a pooled buffer sized up front (so a large string or byte[] is not copied again each time the
        // buffer doubles), then copied once into the array that leaves: one allocation of the packed size.
        var output = new PooledWriter(Estimate(payload));
        try
        {
            if (payload is object?[] values) SkynetPack.Pack(output, values);
            else SkynetPack.Pack(output, [payload]);
            return output.WrittenSpan.ToArray();
        }
        finally
        {
            output.Dispose();
        }
    }

    static int Estimate(object? value)
    {
        switch (value)
        {
            case string text: return text.Length + 8;
            case byte[] bytes: return bytes.Length + 8;
            case object?[] values:
                long sum = 16;
                foreach (var item in values) sum += item is object?[] ? 16 : Estimate(item);
                return (int)Math.Min(sum, Array.MaxLength);
            default: return 16;
        }
    }

    /// <summary>Packs a reply: an <c>object?[]</c> is several values, anything else one value (null is nil).</summary>
    public static byte[] PackReply(object? reply) => PackArgs(reply);

    /// <summary>Unpacks a reply the way the local caller sees it: no value is null, one value is itself, several an array.</summary>
    public static object? UnpackReply(ReadOnlySpan<byte> bytes)
    {
        var values = SkynetPack.Unpack(bytes);
        return values.Length switch
        {
            0 => null,
            1 => values[0],
            _ => values,
        };
    }

    /// <summary>An <see cref="IBufferWriter{T}"/> over arrays rented from <see cref="ArrayPool{T}.Shared"/>.</summary>
    sealed class PooledWriter(int capacity) : IBufferWriter<byte>, IDisposable
    {
        byte[] _array = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 256));
        int _written;

        public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, _written);

        public void Advance(int count) => _written += count;

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return _array.AsMemory(_written);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return _array.AsSpan(_written);
        }

        void Ensure(int sizeHint)
        {
            var need = (long)_written + Math.Max(sizeHint, 1);
            if (need <= _array.Length) return;
            var grown = ArrayPool<byte>.Shared.Rent((int)Math.Min(Array.MaxLength, Math.Max(need, _array.Length * 2L)));
            _array.AsSpan(0, _written).CopyTo(grown);
            ArrayPool<byte>.Shared.Return(_array);
            _array = grown;
        }

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(_array);
            _array = [];
        }
    }
}
