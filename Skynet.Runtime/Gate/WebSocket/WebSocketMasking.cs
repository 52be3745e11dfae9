using System.Buffers.Binary;
using System.Numerics;

namespace Skynet.Gate.WebSocket;

/// <summary>The XOR masking of RFC 6455 section 5.3, a word at a time where the data allows.</summary>
internal static class WebSocketMasking
{
    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="destination"/> XOR-ed with the mask key, starting at
    /// <paramref name="maskOffset"/> within the key (a frame's payload may arrive in several segments).
    /// </summary>
    /// <returns>The key offset for the byte that follows.</returns>
    public static int Apply(ReadOnlySpan<byte> source, Span<byte> destination, uint maskKey, int maskOffset)
    {
        // The key as a big-endian word read from the wire; rotate so lane 0 is the byte at maskOffset.
        uint rotated = BitOperations.RotateLeft(maskKey, 8 * maskOffset);
        ulong wide = ((ulong)rotated << 32) | rotated;
        int i = 0;

        for (; i + 8 <= source.Length; i += 8)
        {
            ulong word = BinaryPrimitives.ReadUInt64BigEndian(source[i..]);
            BinaryPrimitives.WriteUInt64BigEndian(destination[i..], word ^ wide);
        }

        for (; i < source.Length; i++)
        {
            destination[i] = (byte)(source[i] ^ (byte)(rotated >> (24 - (8 * (i & 3)))));
        }

        return (maskOffset + source.Length) & 3;
    }
}
