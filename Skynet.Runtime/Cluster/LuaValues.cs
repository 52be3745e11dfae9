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
        object?[] values = payload as object?[] ?? [payload];
        // Scalars and strings (what large messages are made of) are packed straight into an array of their exact
        // size: no copy of a large payload at all.
        if (ExactSize(values) is >= 0 and var exact)
        {
            var array = GC.AllocateUninitializedArray<byte>(exact);
            var target = new ExactWriter(array);
            SkynetPack.Pack(target, values);
            return target.Full ? array : throw new InvalidOperationException($"skynet.pack wrote {target.Written} bytes where {exact} were computed");
        }
        // Anything else goes through a pooled buffer sized up front (so a large string or byte[] inside a table is not
        // copied again each time the buffer doubles), then is copied once into the array that leaves.
        var output = new PooledWriter(Estimate(payload));
        try
        {
            SkynetPack.Pack(output, values);
            return output.WrittenSpan.ToArray();
        }
        finally
        {
            output.Dispose();
        }
    }

    /// <summary>The exact <c>skynet.pack</c> size of a list of nils, booleans, numbers, strings and byte[] (lua-seri's rules), or -1.</summary>
    internal static int ExactSize(object?[] values)
    {
        long size = 0;
        foreach (var value in values)
        {
            switch (value)
            {
                case null or bool: size += 1; break;
                case double or float: size += 9; break;
                case long l: size += IntegerSize(l); break;
                case int i: size += IntegerSize(i); break;
                case short or sbyte or byte or ushort or uint: size += IntegerSize(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                case byte[] bytes: size += StringSize(bytes.Length); break;
                case string text: size += StringSize(StrictUtf8.ByteCount(text)); break; // throws PackException as the packer would
                default: return -1;
            }
            if (size > Array.MaxLength) return -1;
        }
        return (int)size;
    }

    // wb_integer: 0 is the type byte alone; then byte, word, dword (also negatives that fit int32) or qword.
    static int IntegerSize(long v) => v == 0 ? 1 : v != (int)v ? 9 : v < 0 ? 5 : v < 0x100 ? 2 : v < 0x10000 ? 3 : 5;

    // wb_string: lengths below 32 fit the type byte, then a u16 or u32 length.
    static long StringSize(int length) => length + (length < 32 ? 1 : length < 0x10000 ? 3 : 5);

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

    /// <summary>An <see cref="IBufferWriter{T}"/> over one array of a computed size; it never grows.</summary>
    sealed class ExactWriter(byte[] array) : IBufferWriter<byte>
    {
        public int Written { get; private set; }

        public bool Full => Written == array.Length;

        public void Advance(int count) => Written += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => array.AsMemory(Written);

        public Span<byte> GetSpan(int sizeHint = 0) => array.AsSpan(Written);
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
