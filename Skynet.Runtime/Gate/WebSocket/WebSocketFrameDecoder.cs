using System.Buffers;
using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text;
using System.Text.Unicode;

namespace Skynet.Gate.WebSocket;

/// <summary>
/// Server-side RFC 6455 decoder for one connection. It reads frames from a <see cref="ReadOnlySequence{T}"/>
/// (what a <c>PipeReader</c> hands out), unmasks them, reassembles fragmented messages, passes control frames
/// through as they arrive (also in the middle of a fragmented message), and fails the connection with the close
/// code the RFC prescribes on any violation. No extensions are negotiated, so every reserved bit must be clear.
/// </summary>
/// <remarks>
/// <para>A frame is consumed only when it is complete, so the pipe holds at most one frame plus the header of the
/// next; the decoder itself holds the fragments of an incomplete message, at most <see cref="MaxMessageLength"/>
/// bytes, in a buffer rented from <see cref="ArrayPool{T}.Shared"/>.</para>
/// <para>Not thread-safe: one decoder per connection, driven by that connection's reader.</para>
/// </remarks>
public sealed class WebSocketFrameDecoder : IDisposable
{
    /// <summary>The default for <see cref="MaxMessageLength"/>: 1 MiB.</summary>
    public const int DefaultMaxMessageLength = 1 << 20;

    // Reasons are constants so that failing a connection allocates nothing; each fits in a close frame.
    private const string ReservedBits = "reserved bits set without a negotiated extension";
    private const string UnknownOpcode = "reserved opcode";
    private const string Unmasked = "client frames must be masked";
    private const string FragmentedControl = "control frames must not be fragmented";
    private const string LongControl = "control frame payload longer than 125 bytes";
    private const string LengthHighBit = "64-bit payload length has its most significant bit set";
    private const string OrphanContinuation = "continuation frame without a message to continue";
    private const string InterleavedData = "new data frame before the fragmented message finished";
    private const string TooBig = "message exceeds the maximum length";
    private const string InvalidText = "text message is not valid UTF-8";
    private const string OneByteClose = "close frame payload of 1 byte";
    private const string InvalidCloseCode = "invalid close code";
    private const string InvalidCloseReason = "close reason is not valid UTF-8";

    private byte[]? messageBuffer;
    private int messageLength;
    private WebSocketMessageKind? fragmentType;
    private byte[]? controlBuffer;
    private WebSocketProtocolError? fault;

    /// <summary>Creates a decoder that accepts messages of up to <paramref name="maxMessageLength"/> bytes.</summary>
    /// <param name="maxMessageLength">
    /// The largest message, after reassembling its fragments, in bytes. A larger one fails with 1009. This bounds
    /// what one client can make the server buffer.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxMessageLength"/> is negative or larger than <see cref="Array.MaxLength"/>.</exception>
    public WebSocketFrameDecoder(int maxMessageLength = DefaultMaxMessageLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxMessageLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxMessageLength, Array.MaxLength);
        MaxMessageLength = maxMessageLength;
    }

    /// <summary>The largest message accepted, in bytes, after reassembly.</summary>
    public int MaxMessageLength { get; }

    /// <summary>Bytes of an incomplete fragmented message held by the decoder (0 between messages).</summary>
    public int BufferedMessageBytes => fragmentType is null ? 0 : messageLength;

    /// <summary>Whether the decoder has failed the connection and only repeats that error until <see cref="Reset"/>.</summary>
    public bool IsFaulted => fault is not null;

    /// <summary>
    /// Decodes frames from the front of <paramref name="buffer"/> until one message is complete, more bytes are
    /// needed, or the peer breaks the protocol.
    /// </summary>
    /// <param name="buffer">
    /// Unread bytes. Advanced past every frame consumed, including fragments consumed before returning
    /// <see cref="WebSocketDecodeStatus.NeedMoreData"/>; with a <c>PipeReader</c>, pass <c>buffer.Start</c> as
    /// consumed and the original end as examined.
    /// </param>
    /// <param name="message">The message when the result is <see cref="WebSocketDecodeStatus.Message"/>; its payload is borrowed (see <see cref="WebSocketMessage"/>).</param>
    /// <param name="error">The close code and reason when the result is <see cref="WebSocketDecodeStatus.Error"/>.</param>
    /// <returns>Whether a message, an error or nothing yet came out.</returns>
    public WebSocketDecodeStatus TryReadMessage(ref ReadOnlySequence<byte> buffer, out WebSocketMessage message, out WebSocketProtocolError error)
    {
        message = default;
        error = default;
        if (fault is { } existing)
        {
            error = existing;
            return WebSocketDecodeStatus.Error;
        }

        if (fragmentType is null)
        {
            // The previous message's payload is no longer the caller's; give the memory back between messages so
            // an idle connection holds no buffer.
            ReturnMessageBuffer();
        }

        Span<byte> header = stackalloc byte[WebSocketFrameHeader.MaxLength];
        while (true)
        {
            if (buffer.Length < 2)
            {
                return WebSocketDecodeStatus.NeedMoreData;
            }

            int available = (int)Math.Min(buffer.Length, WebSocketFrameHeader.MaxLength);
            buffer.Slice(0, available).CopyTo(header);

            byte first = header[0];
            byte second = header[1];
            bool fin = (first & 0x80) != 0;
            int opcode = first & 0x0F;
            bool isControl = opcode >= 0x8;

            if ((first & 0x70) != 0)
            {
                return Fail(WebSocketCloseStatus.ProtocolError, ReservedBits, out error);
            }

            if (opcode is > 0x2 and < 0x8 or > 0xA)
            {
                return Fail(WebSocketCloseStatus.ProtocolError, UnknownOpcode, out error);
            }

            if (isControl && !fin)
            {
                return Fail(WebSocketCloseStatus.ProtocolError, FragmentedControl, out error);
            }

            if ((second & 0x80) == 0)
            {
                return Fail(WebSocketCloseStatus.ProtocolError, Unmasked, out error);
            }

            if (opcode == 0x0 && fragmentType is null)
            {
                return Fail(WebSocketCloseStatus.ProtocolError, OrphanContinuation, out error);
            }

            if (opcode is 0x1 or 0x2 && fragmentType is not null)
            {
                return Fail(WebSocketCloseStatus.ProtocolError, InterleavedData, out error);
            }

            int headerLength;
            ulong payloadLength;
            int shortLength = second & 0x7F;
            if (shortLength < 126)
            {
                headerLength = 2 + 4;
                payloadLength = (ulong)shortLength;
            }
            else if (shortLength == 126)
            {
                if (available < 4)
                {
                    return WebSocketDecodeStatus.NeedMoreData;
                }

                headerLength = 4 + 4;
                payloadLength = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
            }
            else
            {
                if (available < 10)
                {
                    return WebSocketDecodeStatus.NeedMoreData;
                }

                headerLength = 10 + 4;
                payloadLength = BinaryPrimitives.ReadUInt64BigEndian(header[2..]);
                if ((payloadLength & 0x8000_0000_0000_0000UL) != 0)
                {
                    return Fail(WebSocketCloseStatus.ProtocolError, LengthHighBit, out error);
                }
            }

            if (isControl && payloadLength > WebSocketFrameHeader.MaxControlPayload)
            {
                return Fail(WebSocketCloseStatus.ProtocolError, LongControl, out error);
            }

            // Checked before waiting for the payload, so a huge announced length never makes anyone buffer it.
            if (!isControl && (ulong)messageLength + payloadLength > (ulong)MaxMessageLength)
            {
                return Fail(WebSocketCloseStatus.MessageTooBig, TooBig, out error);
            }

            if (available < headerLength || buffer.Length - headerLength < (long)payloadLength)
            {
                return WebSocketDecodeStatus.NeedMoreData;
            }

            uint maskKey = BinaryPrimitives.ReadUInt32BigEndian(header[(headerLength - 4)..]);
            ReadOnlySequence<byte> maskedPayload = buffer.Slice(headerLength, (long)payloadLength);
            int length = (int)payloadLength;

            if (isControl)
            {
                controlBuffer ??= new byte[WebSocketFrameHeader.MaxControlPayload];
                Unmask(maskedPayload, controlBuffer, maskKey);
                buffer = buffer.Slice(maskedPayload.End);
                return ReadControl((WebSocketOpcode)opcode, controlBuffer.AsMemory(0, length), out message, out error);
            }

            EnsureMessageCapacity(messageLength + length);
            Unmask(maskedPayload, messageBuffer.AsSpan(messageLength, length), maskKey);
            messageLength += length;
            buffer = buffer.Slice(maskedPayload.End);
            if (opcode != 0x0)
            {
                fragmentType = opcode == 0x1 ? WebSocketMessageKind.Text : WebSocketMessageKind.Binary;
            }

            if (!fin)
            {
                continue;
            }

            WebSocketMessageKind type = fragmentType!.Value;
            ReadOnlyMemory<byte> payload = messageBuffer is null ? ReadOnlyMemory<byte>.Empty : messageBuffer.AsMemory(0, messageLength);
            fragmentType = null;
            messageLength = 0;

            // Validated once the message is whole: a fragment may legally end inside a multi-byte sequence.
            if (type == WebSocketMessageKind.Text && !Utf8.IsValid(payload.Span))
            {
                return Fail(WebSocketCloseStatus.InvalidPayloadData, InvalidText, out error);
            }

            message = new WebSocketMessage(type, payload);
            return WebSocketDecodeStatus.Message;
        }
    }

    /// <summary>Forgets any partial message and any fault, and returns pooled memory; the decoder is ready for a new connection.</summary>
    public void Reset()
    {
        ReturnMessageBuffer();
        messageLength = 0;
        fragmentType = null;
        fault = null;
    }

    /// <summary>Returns pooled memory. Payloads handed out earlier become invalid.</summary>
    public void Dispose() => Reset();

    private WebSocketDecodeStatus ReadControl(WebSocketOpcode opcode, ReadOnlyMemory<byte> payload, out WebSocketMessage message, out WebSocketProtocolError error)
    {
        error = default;
        message = default;
        switch (opcode)
        {
            case WebSocketOpcode.Ping:
                message = new WebSocketMessage(WebSocketMessageKind.Ping, payload);
                return WebSocketDecodeStatus.Message;

            case WebSocketOpcode.Pong:
                message = new WebSocketMessage(WebSocketMessageKind.Pong, payload);
                return WebSocketDecodeStatus.Message;
        }

        ReadOnlySpan<byte> body = payload.Span;
        if (body.IsEmpty)
        {
            message = new WebSocketMessage(WebSocketMessageKind.Close, payload, closeStatus: null, closeReason: string.Empty);
            return WebSocketDecodeStatus.Message;
        }

        if (body.Length == 1)
        {
            return Fail(WebSocketCloseStatus.ProtocolError, OneByteClose, out error);
        }

        int code = BinaryPrimitives.ReadUInt16BigEndian(body);
        if (!WebSocketCloseCodes.IsValidOnWire(code))
        {
            return Fail(WebSocketCloseStatus.ProtocolError, InvalidCloseCode, out error);
        }

        ReadOnlySpan<byte> reason = body[2..];
        if (!Utf8.IsValid(reason))
        {
            return Fail(WebSocketCloseStatus.InvalidPayloadData, InvalidCloseReason, out error);
        }

        // A close arrives once per connection, so a string for the reason is affordable.
        message = new WebSocketMessage(WebSocketMessageKind.Close, payload, (WebSocketCloseStatus)code, Encoding.UTF8.GetString(reason));
        return WebSocketDecodeStatus.Message;
    }

    private static void Unmask(in ReadOnlySequence<byte> source, Span<byte> destination, uint maskKey)
    {
        int maskOffset = 0;
        int written = 0;
        foreach (ReadOnlyMemory<byte> segment in source)
        {
            maskOffset = WebSocketMasking.Apply(segment.Span, destination[written..], maskKey, maskOffset);
            written += segment.Length;
        }
    }

    private void EnsureMessageCapacity(int required)
    {
        if (required == 0 || (messageBuffer is not null && messageBuffer.Length >= required))
        {
            return;
        }

        // Grow geometrically (capped by the limit) so a message sent in many small fragments copies O(n) bytes.
        int size = Math.Max(required, Math.Min(Math.Max(256, (messageBuffer?.Length ?? 0) * 2), MaxMessageLength));
        byte[] grown = ArrayPool<byte>.Shared.Rent(size);
        if (messageBuffer is not null)
        {
            messageBuffer.AsSpan(0, messageLength).CopyTo(grown);
            ArrayPool<byte>.Shared.Return(messageBuffer);
        }

        messageBuffer = grown;
    }

    private void ReturnMessageBuffer()
    {
        if (messageBuffer is not null)
        {
            ArrayPool<byte>.Shared.Return(messageBuffer);
            messageBuffer = null;
        }
    }

    private WebSocketDecodeStatus Fail(WebSocketCloseStatus status, string reason, out WebSocketProtocolError error)
    {
        error = new WebSocketProtocolError(status, reason);
        fault = error;
        ReturnMessageBuffer();
        messageLength = 0;
        fragmentType = null;
        return WebSocketDecodeStatus.Error;
    }
}
