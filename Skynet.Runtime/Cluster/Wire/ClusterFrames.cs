using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Skynet.ClusterWire;

/// <summary>
/// Writes skynet's cluster frames byte for byte as <c>lualib-src/lua-cluster.c</c> does: every frame is a
/// big-endian u16 length then the body; numbers inside the body are little-endian u32.
/// </summary>
/// <remarks>
/// A request payload under <see cref="MultiPart"/> bytes goes in one frame; a larger one is a header frame
/// (type 1, or 0x41 for a push; 0x81/0xc1 with a name) followed by parts of at most <see cref="MultiPart"/> bytes
/// (type 2, the last one type 3). A response payload up to <see cref="MultiPart"/> bytes is one frame; a larger
/// one is begin (2) / part (3) / end (4). skynet's boundaries differ by one between the two directions (a request
/// splits at exactly 0x8000 bytes, a response only above it); both are kept.
/// </remarks>
public static class ClusterFrames
{
    /// <summary>The largest chunk of a multi-part message (skynet's <c>MULTI_PART</c>).</summary>
    public const int MultiPart = 0x8000;

    /// <summary>Request body types (the first body byte).</summary>
    public const byte RequestNumber = 0, RequestNumberLarge = 1, RequestPart = 2, RequestLastPart = 3, Trace = 4,
        PushNumberLarge = 0x41, RequestName = 0x80, RequestNameLarge = 0x81, PushNameLarge = 0xc1;

    /// <summary>Response body types (the fifth body byte, after the session).</summary>
    public const byte ResponseError = 0, ResponseOk = 1, ResponseBegin = 2, ResponsePart = 3, ResponseEnd = 4;

    /// <summary>True when a request payload of <paramref name="length"/> bytes travels as a multi-part message.</summary>
    public static bool IsMultiPartRequest(int length) => length >= MultiPart;

    /// <summary>The bytes <see cref="WriteRequest"/> writes for a payload of <paramref name="length"/> bytes.</summary>
    public static int RequestSize(ClusterTarget target, int length)
    {
        var address = target.Name is { } name ? 1 + Encoding.UTF8.GetByteCount(name) : 4;
        if (!IsMultiPartRequest(length)) return 2 + 1 + address + 4 + length;
        var parts = (length - 1) / MultiPart + 1;
        return 2 + 1 + address + 8 + parts * 7 + length;
    }

    /// <summary>
    /// Writes a request (skynet's <c>cluster.packrequest</c>) or, with <paramref name="push"/>, a one-way message
    /// (<c>cluster.packpush</c>). A single-frame push carries session 0, as in skynet.
    /// </summary>
    /// <param name="output">Where the frames go.</param>
    /// <param name="target">The remote service.</param>
    /// <param name="session">The sender connection's session, 1..<see cref="int.MaxValue"/>.</param>
    /// <param name="payload">The message (usually <c>skynet.pack</c> bytes).</param>
    /// <param name="push">True for a one-way message.</param>
    /// <returns>True when the message went as multi-part, which uses up <paramref name="session"/> even for a push.</returns>
    public static bool WriteRequest(IBufferWriter<byte> output, ClusterTarget target, int session, ReadOnlySpan<byte> payload, bool push = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(session);
        var large = IsMultiPartRequest(payload.Length);
        Span<byte> head = stackalloc byte[2 + 1 + 256 + 8];
        int n;
        if (target.Name is { } name)
        {
            var nameLength = Encoding.UTF8.GetBytes(name, head[4..]);
            head[3] = (byte)nameLength;
            var at = 4 + nameLength;
            if (large)
            {
                head[2] = push ? PushNameLarge : RequestNameLarge;
                BinaryPrimitives.WriteUInt32LittleEndian(head[at..], (uint)session);
                BinaryPrimitives.WriteUInt32LittleEndian(head[(at + 4)..], (uint)payload.Length);
                n = at + 8;
            }
            else
            {
                head[2] = RequestName;
                BinaryPrimitives.WriteUInt32LittleEndian(head[at..], push ? 0u : (uint)session);
                n = at + 4;
            }
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(head[3..], target.Handle);
            if (large)
            {
                head[2] = push ? PushNumberLarge : RequestNumberLarge;
                BinaryPrimitives.WriteUInt32LittleEndian(head[7..], (uint)session);
                BinaryPrimitives.WriteUInt32LittleEndian(head[11..], (uint)payload.Length);
                n = 15;
            }
            else
            {
                head[2] = RequestNumber;
                BinaryPrimitives.WriteUInt32LittleEndian(head[7..], push ? 0u : (uint)session);
                n = 11;
            }
        }
        var bodyLength = large ? n - 2 : n - 2 + payload.Length;
        BinaryPrimitives.WriteUInt16BigEndian(head, (ushort)bodyLength);
        output.Write(head[..n]);
        if (!large)
        {
            output.Write(payload);
            return false;
        }
        while (payload.Length > 0)
        {
            var size = Math.Min(payload.Length, MultiPart);
            var part = output.GetSpan(7);
            BinaryPrimitives.WriteUInt16BigEndian(part, (ushort)(size + 5));
            part[2] = payload.Length > MultiPart ? RequestPart : RequestLastPart;
            BinaryPrimitives.WriteUInt32LittleEndian(part[3..], (uint)session);
            output.Advance(7);
            output.Write(payload[..size]);
            payload = payload[size..];
        }
        return true;
    }

    /// <summary>Writes a trace tag frame (skynet's <c>cluster.packtrace</c>).</summary>
    /// <exception cref="ArgumentException">The tag is longer than <see cref="MultiPart"/> bytes.</exception>
    public static void WriteTrace(IBufferWriter<byte> output, ReadOnlySpan<byte> tag)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (tag.Length > MultiPart) throw new ArgumentException($"A trace tag is at most {MultiPart} bytes; this one has {tag.Length}.", nameof(tag));
        var head = output.GetSpan(3);
        BinaryPrimitives.WriteUInt16BigEndian(head, (ushort)(tag.Length + 1));
        head[2] = Trace;
        output.Advance(3);
        output.Write(tag);
    }

    /// <summary>
    /// Writes a response (skynet's <c>cluster.packresponse</c>): an ok payload above <see cref="MultiPart"/> bytes
    /// becomes begin/part/end frames; an error message is cut to <see cref="MultiPart"/> bytes.
    /// </summary>
    public static void WriteResponse(IBufferWriter<byte> output, int session, bool ok, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!ok && payload.Length > MultiPart) payload = payload[..MultiPart];
        if (!ok || payload.Length <= MultiPart)
        {
            WriteResponseFrame(output, session, ok ? ResponseOk : ResponseError, payload);
            return;
        }
        var begin = output.GetSpan(11);
        BinaryPrimitives.WriteUInt16BigEndian(begin, 9);
        BinaryPrimitives.WriteUInt32LittleEndian(begin[2..], (uint)session);
        begin[6] = ResponseBegin;
        BinaryPrimitives.WriteUInt32LittleEndian(begin[7..], (uint)payload.Length);
        output.Advance(11);
        while (payload.Length > 0)
        {
            var size = Math.Min(payload.Length, MultiPart);
            WriteResponseFrame(output, session, payload.Length > MultiPart ? ResponsePart : ResponseEnd, payload[..size]);
            payload = payload[size..];
        }
    }

    /// <summary>The bytes <see cref="WriteResponse"/> writes.</summary>
    public static int ResponseSize(bool ok, int length)
    {
        if (!ok) return 7 + Math.Min(length, MultiPart);
        if (length <= MultiPart) return 7 + length;
        return 11 + ((length - 1) / MultiPart + 1) * 7 + length;
    }

    static void WriteResponseFrame(IBufferWriter<byte> output, int session, byte type, ReadOnlySpan<byte> payload)
    {
        var head = output.GetSpan(7);
        BinaryPrimitives.WriteUInt16BigEndian(head, (ushort)(payload.Length + 5));
        BinaryPrimitives.WriteUInt32LittleEndian(head[2..], (uint)session);
        head[6] = type;
        output.Advance(7);
        output.Write(payload);
    }
}
