using System.Buffers.Binary;

namespace Skynet.Gate.WebSocket;

/// <summary>Writes RFC 6455 frame headers (section 5.2); shared by the server and client writers.</summary>
internal static class WebSocketFrameHeader
{
    /// <summary>The longest header: 2 fixed bytes, an 8-byte length and a 4-byte mask key.</summary>
    public const int MaxLength = 14;

    /// <summary>The largest payload a control frame may carry (section 5.5).</summary>
    public const int MaxControlPayload = 125;

    public static int GetLength(long payloadLength, bool masked)
    {
        int length = payloadLength <= 125 ? 2 : payloadLength <= ushort.MaxValue ? 4 : 10;
        return masked ? length + 4 : length;
    }

    /// <summary>Writes the header and returns its length; <paramref name="destination"/> must hold <see cref="GetLength"/> bytes.</summary>
    public static int Write(Span<byte> destination, WebSocketOpcode opcode, bool fin, long payloadLength, ReadOnlySpan<byte> maskKey)
    {
        destination[0] = (byte)((fin ? 0x80 : 0x00) | (int)opcode);
        byte maskBit = maskKey.IsEmpty ? (byte)0 : (byte)0x80;
        int position;

        // Senders must use the shortest length form (section 5.2), so pick by size.
        if (payloadLength <= 125)
        {
            destination[1] = (byte)(maskBit | (int)payloadLength);
            position = 2;
        }
        else if (payloadLength <= ushort.MaxValue)
        {
            destination[1] = (byte)(maskBit | 126);
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payloadLength);
            position = 4;
        }
        else
        {
            destination[1] = (byte)(maskBit | 127);
            BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)payloadLength);
            position = 10;
        }

        if (!maskKey.IsEmpty)
        {
            maskKey.CopyTo(destination[position..]);
            position += 4;
        }

        return position;
    }

    public static void ValidateControl(WebSocketOpcode opcode, bool fin, int payloadLength, string paramName)
    {
        if (opcode >= WebSocketOpcode.Close)
        {
            if (payloadLength > MaxControlPayload)
            {
                throw new ArgumentException(
                    $"A {opcode} frame carries at most {MaxControlPayload} bytes (RFC 6455 5.5), but the payload is {payloadLength} bytes.",
                    paramName);
            }

            if (!fin)
            {
                throw new ArgumentException($"A {opcode} frame cannot be fragmented (RFC 6455 5.5); pass fin: true.", nameof(fin));
            }
        }
        else if (!Enum.IsDefined(opcode))
        {
            throw new ArgumentOutOfRangeException(nameof(opcode), opcode, "RFC 6455 reserves this opcode; use one of WebSocketOpcode's named values.");
        }
    }
}
