using System.Buffers;
using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text;

namespace Skynet.Gate.WebSocket;

/// <summary>
/// Writes server-to-client frames (RFC 6455 section 5): never masked, shortest length form, no extensions.
/// Every method writes one whole frame to the <see cref="IBufferWriter{T}"/> in a single reservation.
/// </summary>
public static class WebSocketFrameWriter
{
    /// <summary>The longest close reason, in UTF-8 bytes: 125 payload bytes minus the 2-byte status code.</summary>
    public const int MaxCloseReasonBytes = WebSocketFrameHeader.MaxControlPayload - 2;

    /// <summary>Writes one frame with any opcode; use it to send a message in fragments.</summary>
    /// <param name="writer">Where the frame goes.</param>
    /// <param name="opcode">The frame opcode; <see cref="WebSocketOpcode.Continuation"/> for every fragment after the first.</param>
    /// <param name="payload">The payload, sent as is.</param>
    /// <param name="fin">Whether this is the message's last frame; control frames must pass <see langword="true"/>.</param>
    /// <exception cref="ArgumentException">A control frame is longer than 125 bytes or not final.</exception>
    public static void WriteFrame(IBufferWriter<byte> writer, WebSocketOpcode opcode, ReadOnlySpan<byte> payload, bool fin = true)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WebSocketFrameHeader.ValidateControl(opcode, fin, payload.Length, nameof(payload));

        int headerLength = WebSocketFrameHeader.GetLength(payload.Length, masked: false);
        Span<byte> destination = writer.GetSpan(headerLength + payload.Length);
        WebSocketFrameHeader.Write(destination, opcode, fin, payload.Length, ReadOnlySpan<byte>.Empty);
        payload.CopyTo(destination[headerLength..]);
        writer.Advance(headerLength + payload.Length);
    }

    /// <summary>Writes a single-frame text message whose payload is already UTF-8.</summary>
    /// <param name="writer">Where the frame goes.</param>
    /// <param name="utf8">The text, UTF-8 encoded. Not validated: sending invalid UTF-8 makes a conforming client fail the connection.</param>
    public static void WriteText(IBufferWriter<byte> writer, ReadOnlySpan<byte> utf8) => WriteFrame(writer, WebSocketOpcode.Text, utf8);

    /// <summary>Writes a single-frame text message, encoding <paramref name="text"/> as UTF-8 straight into the writer.</summary>
    /// <param name="writer">Where the frame goes.</param>
    /// <param name="text">The text to send.</param>
    public static void WriteText(IBufferWriter<byte> writer, ReadOnlySpan<char> text)
    {
        ArgumentNullException.ThrowIfNull(writer);
        int payloadLength = Encoding.UTF8.GetByteCount(text);
        int headerLength = WebSocketFrameHeader.GetLength(payloadLength, masked: false);
        Span<byte> destination = writer.GetSpan(headerLength + payloadLength);
        WebSocketFrameHeader.Write(destination, WebSocketOpcode.Text, fin: true, payloadLength, ReadOnlySpan<byte>.Empty);
        Encoding.UTF8.GetBytes(text, destination[headerLength..]);
        writer.Advance(headerLength + payloadLength);
    }

    /// <summary>Writes a single-frame binary message.</summary>
    /// <param name="writer">Where the frame goes.</param>
    /// <param name="payload">The message.</param>
    public static void WriteBinary(IBufferWriter<byte> writer, ReadOnlySpan<byte> payload) => WriteFrame(writer, WebSocketOpcode.Binary, payload);

    /// <summary>Writes a ping.</summary>
    /// <param name="writer">Where the frame goes.</param>
    /// <param name="payload">Application data the pong will echo, at most 125 bytes.</param>
    /// <exception cref="ArgumentException">The payload is longer than 125 bytes.</exception>
    public static void WritePing(IBufferWriter<byte> writer, ReadOnlySpan<byte> payload = default) => WriteFrame(writer, WebSocketOpcode.Ping, payload);

    /// <summary>Writes a pong; to answer a ping, pass the ping's payload.</summary>
    /// <param name="writer">Where the frame goes.</param>
    /// <param name="payload">At most 125 bytes.</param>
    /// <exception cref="ArgumentException">The payload is longer than 125 bytes.</exception>
    public static void WritePong(IBufferWriter<byte> writer, ReadOnlySpan<byte> payload = default) => WriteFrame(writer, WebSocketOpcode.Pong, payload);

    /// <summary>Writes a close frame carrying a status code and an optional reason.</summary>
    /// <param name="writer">Where the frame goes.</param>
    /// <param name="status">
    /// The status code. 1005 (<see cref="WebSocketCloseStatus.Empty"/>), 1006 and 1015 are reserved for reporting
    /// and never sent; use <see cref="WriteEmptyClose"/> to close without a code.
    /// </param>
    /// <param name="reason">A short UTF-8 reason, at most <see cref="MaxCloseReasonBytes"/> bytes once encoded.</param>
    /// <exception cref="ArgumentException">The code may not be sent, or the reason is too long.</exception>
    public static void WriteClose(IBufferWriter<byte> writer, WebSocketCloseStatus status, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (!WebSocketCloseCodes.IsValidOnWire((int)status))
        {
            throw new ArgumentException(
                $"Close code {(int)status} may not be sent on the wire (RFC 6455 7.4); use 1000-1003, 1007-1014 or 3000-4999.",
                nameof(status));
        }

        int reasonLength = reason is null ? 0 : Encoding.UTF8.GetByteCount(reason);
        if (reasonLength > MaxCloseReasonBytes)
        {
            throw new ArgumentException(
                $"A close reason holds at most {MaxCloseReasonBytes} UTF-8 bytes, but this one is {reasonLength}; shorten it.",
                nameof(reason));
        }

        int payloadLength = 2 + reasonLength;
        Span<byte> destination = writer.GetSpan(2 + payloadLength);
        WebSocketFrameHeader.Write(destination, WebSocketOpcode.Close, fin: true, payloadLength, ReadOnlySpan<byte>.Empty);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)status);
        if (reason is not null)
        {
            Encoding.UTF8.GetBytes(reason, destination[4..]);
        }

        writer.Advance(2 + payloadLength);
    }

    /// <summary>Writes a close frame with no status code (the peer reports 1005, no status received).</summary>
    /// <param name="writer">Where the frame goes.</param>
    public static void WriteEmptyClose(IBufferWriter<byte> writer) => WriteFrame(writer, WebSocketOpcode.Close, ReadOnlySpan<byte>.Empty);
}
