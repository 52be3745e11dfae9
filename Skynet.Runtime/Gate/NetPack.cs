using System.Buffers;
using System.Buffers.Binary;

namespace Skynet.Gate;

/// <summary>
/// skynet's gate framing (<c>netpack</c>): every frame is a big-endian <see cref="ushort"/> length followed by
/// that many payload bytes, so a payload holds 0 to <see cref="MaxPayloadLength"/> bytes. These helpers are pure
/// functions over buffers: <see cref="TryReadFrame"/> suits a <c>PipeReader</c>, which keeps unread bytes for
/// you; use <see cref="NetPackDecoder"/> when bytes arrive as chunks you cannot keep.
/// </summary>
public static class NetPack
{
    /// <summary>The size of the length header, in bytes.</summary>
    public const int HeaderLength = 2;

    /// <summary>The largest payload one frame can carry (the header is 16 bits).</summary>
    public const int MaxPayloadLength = ushort.MaxValue;

    /// <summary>
    /// Reads one frame from the front of <paramref name="buffer"/>. On success, <paramref name="payload"/> is a
    /// slice of <paramref name="buffer"/> (no copy: it is valid only as long as the buffer's memory is, so for a
    /// <c>PipeReader</c> until the next <c>AdvanceTo</c>) and <paramref name="buffer"/> is advanced past the frame.
    /// </summary>
    /// <param name="buffer">Unread bytes; advanced past the frame when one is returned, untouched otherwise.</param>
    /// <param name="payload">The frame's payload, possibly empty, possibly spanning several segments.</param>
    /// <returns><see langword="false"/> when the buffer does not yet hold a whole frame (header included).</returns>
    public static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> payload)
    {
        if (buffer.Length < HeaderLength)
        {
            payload = default;
            return false;
        }

        int length = ReadHeader(buffer);
        if (buffer.Length - HeaderLength < length)
        {
            payload = default;
            return false;
        }

        payload = buffer.Slice(HeaderLength, length);
        buffer = buffer.Slice(payload.End);
        return true;
    }

    /// <summary>Writes <paramref name="payload"/> as one frame (header and payload) to <paramref name="writer"/>.</summary>
    /// <param name="writer">Where the frame goes; advanced by <see cref="HeaderLength"/> plus the payload length.</param>
    /// <param name="payload">The bytes to frame.</param>
    /// <exception cref="ArgumentException">The payload is longer than <see cref="MaxPayloadLength"/> bytes.</exception>
    public static void WriteFrame(IBufferWriter<byte> writer, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ThrowIfTooLong(payload.Length);

        Span<byte> destination = writer.GetSpan(HeaderLength + payload.Length);
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)payload.Length);
        payload.CopyTo(destination[HeaderLength..]);
        writer.Advance(HeaderLength + payload.Length);
    }

    /// <summary>Returns a new array holding <paramref name="payload"/> as one frame, like skynet's <c>netpack.pack</c>.</summary>
    /// <param name="payload">The bytes to frame.</param>
    /// <returns>A fresh array the caller owns: the header followed by a copy of the payload.</returns>
    /// <exception cref="ArgumentException">The payload is longer than <see cref="MaxPayloadLength"/> bytes.</exception>
    public static byte[] Pack(ReadOnlySpan<byte> payload)
    {
        ThrowIfTooLong(payload.Length);

        byte[] frame = GC.AllocateUninitializedArray<byte>(HeaderLength + payload.Length);
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)payload.Length);
        payload.CopyTo(frame.AsSpan(HeaderLength));
        return frame;
    }

    /// <summary>Reads the length header at the start of a buffer known to hold at least two bytes.</summary>
    private static int ReadHeader(in ReadOnlySequence<byte> buffer)
    {
        ReadOnlySpan<byte> first = buffer.FirstSpan;
        if (first.Length >= HeaderLength)
        {
            return BinaryPrimitives.ReadUInt16BigEndian(first);
        }

        // The header straddles segments (or the first segment is empty); copying two bytes is cheaper than
        // building a SequenceReader.
        Span<byte> header = stackalloc byte[HeaderLength];
        buffer.Slice(0, HeaderLength).CopyTo(header);
        return BinaryPrimitives.ReadUInt16BigEndian(header);
    }

    private static void ThrowIfTooLong(int length)
    {
        if (length > MaxPayloadLength)
        {
            throw new ArgumentException(
                $"A netpack frame carries at most {MaxPayloadLength} bytes, but the payload is {length} bytes. " +
                "Split the message, or use a protocol with a larger length field (the cluster protocol splits large messages).",
                "payload");
        }
    }
}
