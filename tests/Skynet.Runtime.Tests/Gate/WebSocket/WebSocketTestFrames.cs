using System.Buffers;
using System.Net.WebSockets;
using Skynet.Gate.WebSocket;

namespace Skynet.Runtime.Tests.Gate.WebSocket;

/// <summary>A decoded message copied out of the decoder's borrowed buffer.</summary>
internal sealed record Decoded(WebSocketMessageKind Kind, byte[] Payload, WebSocketCloseStatus? CloseStatus = null, string? CloseReason = null)
{
    public static Decoded From(in WebSocketMessage message) =>
        new(message.Kind, message.Payload.ToArray(), message.CloseStatus, message.CloseReason);

    public bool Equals(Decoded? other) =>
        other is not null && Kind == other.Kind && Payload.AsSpan().SequenceEqual(other.Payload) &&
        CloseStatus == other.CloseStatus && CloseReason == other.CloseReason;

    public override int GetHashCode() => HashCode.Combine(Kind, Payload.Length);
}

internal static class WebSocketTestFrames
{
    public static readonly byte[] Mask = [0x37, 0xfa, 0x21, 0x3d];

    public static byte[] Client(WebSocketOpcode opcode, byte[] payload, bool fin = true, byte[]? mask = null)
    {
        var writer = new ArrayBufferWriter<byte>();
        WebSocketClientFrameWriter.WriteFrame(writer, opcode, payload, mask ?? Mask, fin);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>A hand-built masked frame, for headers the writers refuse to produce.</summary>
    public static byte[] Raw(byte first, byte[] payload, byte[]? lengthField = null)
    {
        var bytes = new List<byte> { first };
        if (lengthField is null)
        {
            bytes.Add((byte)(0x80 | payload.Length));
        }
        else
        {
            bytes.Add((byte)(0x80 | (lengthField.Length == 2 ? 126 : 127)));
            bytes.AddRange(lengthField);
        }

        bytes.AddRange(Mask);
        for (int i = 0; i < payload.Length; i++)
        {
            bytes.Add((byte)(payload[i] ^ Mask[i & 3]));
        }

        return [.. bytes];
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>
    /// Drives a decoder the way a PipeReader loop would: bytes arrive in the given chunks, unconsumed bytes are
    /// offered again (as a multi-segment sequence) with the next chunk appended.
    /// </summary>
    public static (List<Decoded> Messages, WebSocketProtocolError? Error) Decode(WebSocketFrameDecoder decoder, byte[] stream, IEnumerable<int> chunkSizes)
    {
        var messages = new List<Decoded>();
        var pending = new List<byte[]>();
        int offset = 0;
        foreach (int size in chunkSizes.Append(int.MaxValue))
        {
            int take = Math.Min(size, stream.Length - offset);
            pending.Add(stream[offset..(offset + take)]);
            offset += take;

            ReadOnlySequence<byte> buffer = Sequences.FromSegments([.. pending]);
            while (true)
            {
                WebSocketDecodeStatus status = decoder.TryReadMessage(ref buffer, out WebSocketMessage message, out WebSocketProtocolError error);
                if (status == WebSocketDecodeStatus.Error)
                {
                    return (messages, error);
                }

                if (status == WebSocketDecodeStatus.NeedMoreData)
                {
                    break;
                }

                messages.Add(Decoded.From(message));
            }

            pending = [buffer.ToArray()];
            if (offset == stream.Length)
            {
                break;
            }
        }

        Assert.Empty(pending.SelectMany(p => p));
        return (messages, null);
    }

    public static (List<Decoded> Messages, WebSocketProtocolError? Error) DecodeWhole(byte[] stream, int maxMessageLength = WebSocketFrameDecoder.DefaultMaxMessageLength) =>
        Decode(new WebSocketFrameDecoder(maxMessageLength), stream, []);
}
