using System.Buffers;
using System.Buffers.Binary;

namespace Skynet.Gate.WebSocket;

/// <summary>
/// Writes client-to-server frames, which RFC 6455 (section 5.3) requires to be masked. The gate never sends
/// these; they exist for tests, load generators and a future client. The caller chooses the mask key, so output
/// is reproducible; a real client must draw a fresh unpredictable key per frame (for example with
/// <c>RandomNumberGenerator.Fill</c>).
/// </summary>
public static class WebSocketClientFrameWriter
{
    /// <summary>Writes one masked frame.</summary>
    /// <param name="writer">Where the frame goes.</param>
    /// <param name="opcode">The frame opcode.</param>
    /// <param name="payload">The unmasked payload; it is masked while it is copied, the source is not changed.</param>
    /// <param name="maskKey">Exactly four bytes.</param>
    /// <param name="fin">Whether this is the message's last frame; control frames must pass <see langword="true"/>.</param>
    /// <exception cref="ArgumentException">The mask key is not four bytes, or a control frame is too long or not final.</exception>
    public static void WriteFrame(IBufferWriter<byte> writer, WebSocketOpcode opcode, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> maskKey, bool fin = true)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (maskKey.Length != 4)
        {
            throw new ArgumentException($"A mask key is exactly 4 bytes (RFC 6455 5.3), but {maskKey.Length} were given.", nameof(maskKey));
        }

        WebSocketFrameHeader.ValidateControl(opcode, fin, payload.Length, nameof(payload));

        int headerLength = WebSocketFrameHeader.GetLength(payload.Length, masked: true);
        Span<byte> destination = writer.GetSpan(headerLength + payload.Length);
        WebSocketFrameHeader.Write(destination, opcode, fin, payload.Length, maskKey);
        WebSocketMasking.Apply(payload, destination[headerLength..], BinaryPrimitives.ReadUInt32BigEndian(maskKey), 0);
        writer.Advance(headerLength + payload.Length);
    }
}
