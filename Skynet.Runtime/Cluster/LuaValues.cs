using System.Buffers;
using Skynet.Codecs;

namespace Skynet;

/// <summary>
/// How "lua" messages cross the cluster boundary: in-process a request is its argument list (<c>object?[]</c>) and a
/// reply is one value, or an <c>object?[]</c> for several; on the wire both are <c>skynet.pack</c> bytes.
/// </summary>
internal static class LuaValues
{
    /// <summary>Packs a request's argument list, or a single value.</summary>
    public static byte[] PackArgs(object? payload)
    {
        // Sized up front so a large string or byte[] argument is not copied again each time the buffer doubles.
        var output = new ArrayBufferWriter<byte>(Estimate(payload));
        if (payload is object?[] values) SkynetPack.Pack(output, values);
        else SkynetPack.Pack(output, [payload]);
        return output.WrittenSpan.ToArray();
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
}
