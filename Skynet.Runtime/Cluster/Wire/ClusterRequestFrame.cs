using System.Buffers.Binary;
using System.Text;

namespace Skynet.ClusterWire;

/// <summary>What one request-direction frame body is.</summary>
public enum ClusterRequestKind
{
    /// <summary>A whole request or push in one frame.</summary>
    Single,
    /// <summary>The header of a multi-part request or push: target, session and total size, no payload yet.</summary>
    LargeBegin,
    /// <summary>A part of a multi-part message (more follow).</summary>
    Part,
    /// <summary>The last part of a multi-part message.</summary>
    LastPart,
    /// <summary>A trace tag for the next request.</summary>
    Trace,
}

/// <summary>
/// One request-direction frame body, parsed as skynet's <c>cluster.unpackrequest</c> does, but stricter: every size
/// field must match the frame exactly, so a forged length is an error rather than a read past the frame.
/// </summary>
public readonly ref struct ClusterRequestFrame
{
    /// <summary>The frame's kind.</summary>
    public ClusterRequestKind Kind { get; init; }

    /// <summary>The target (<see cref="ClusterRequestKind.Single"/> and <see cref="ClusterRequestKind.LargeBegin"/>).</summary>
    public ClusterTarget Target { get; init; }

    /// <summary>The session; 0 for a single-frame push.</summary>
    public int Session { get; init; }

    /// <summary>True for a one-way message.</summary>
    public bool IsPush { get; init; }

    /// <summary>The announced total of a <see cref="ClusterRequestKind.LargeBegin"/>.</summary>
    public int TotalSize { get; init; }

    /// <summary>The payload bytes (a slice of the frame body), or the trace tag.</summary>
    public ReadOnlySpan<byte> Payload { get; init; }

    /// <summary>Parses a frame body (the bytes after the u16 length).</summary>
    /// <exception cref="ClusterProtocolException">The body is not a valid request frame.</exception>
    public static ClusterRequestFrame Parse(ReadOnlySpan<byte> body)
    {
        if (body.Length == 0) throw new ClusterProtocolException("empty request frame");
        switch (body[0])
        {
            case ClusterFrames.RequestNumber:
                Need(body, 9, "request");
                var session = ReadSession(body[5..]);
                return new() { Kind = ClusterRequestKind.Single, Target = ClusterTarget.FromHandle(U32(body[1..])), Session = session, IsPush = session == 0, Payload = body[9..] };
            case ClusterFrames.RequestNumberLarge or ClusterFrames.PushNumberLarge:
                if (body.Length != 13) throw new ClusterProtocolException($"multi-part request header has {body.Length} bytes; it must have 13");
                return new() { Kind = ClusterRequestKind.LargeBegin, Target = ClusterTarget.FromHandle(U32(body[1..])), Session = ReadLargeSession(body[5..]), IsPush = body[0] == ClusterFrames.PushNumberLarge, TotalSize = ReadTotal(body[9..]) };
            case ClusterFrames.RequestPart or ClusterFrames.RequestLastPart:
                Need(body, 5, "multi-part piece");
                return new() { Kind = body[0] == ClusterFrames.RequestPart ? ClusterRequestKind.Part : ClusterRequestKind.LastPart, Session = ReadLargeSession(body[1..]), Payload = body[5..] };
            case ClusterFrames.Trace:
                return new() { Kind = ClusterRequestKind.Trace, Payload = body[1..] };
            case ClusterFrames.RequestName:
            {
                var name = ReadName(body, 4);
                var at = 2 + body[1];
                var s = ReadSession(body[at..]);
                return new() { Kind = ClusterRequestKind.Single, Target = name, Session = s, IsPush = s == 0, Payload = body[(at + 4)..] };
            }
            case ClusterFrames.RequestNameLarge or ClusterFrames.PushNameLarge:
            {
                var name = ReadName(body, 8);
                var at = 2 + body[1];
                if (body.Length != at + 8) throw new ClusterProtocolException($"multi-part request header has {body.Length} bytes; with a {body[1]}-byte name it must have {at + 8}");
                return new() { Kind = ClusterRequestKind.LargeBegin, Target = name, Session = ReadLargeSession(body[at..]), IsPush = body[0] == ClusterFrames.PushNameLarge, TotalSize = ReadTotal(body[(at + 4)..]) };
            }
            default:
                throw new ClusterProtocolException($"unknown request frame type 0x{body[0]:x2}");
        }
    }

    static void Need(ReadOnlySpan<byte> body, int length, string what)
    {
        if (body.Length < length) throw new ClusterProtocolException($"{what} frame has {body.Length} bytes; it needs at least {length}");
    }

    static ClusterTarget ReadName(ReadOnlySpan<byte> body, int after)
    {
        Need(body, 2, "named request");
        var length = body[1];
        if (length == 0) throw new ClusterProtocolException("named request with an empty name");
        if (body.Length < 2 + length + after) throw new ClusterProtocolException($"named request frame has {body.Length} bytes; a {length}-byte name needs at least {2 + length + after}");
        string name;
        try
        {
            name = new UTF8Encoding(false, true).GetString(body.Slice(2, length));
        }
        catch (DecoderFallbackException)
        {
            throw new ClusterProtocolException("named request whose name is not UTF-8");
        }
        return ClusterTarget.FromName(name);
    }

    static uint U32(ReadOnlySpan<byte> bytes) => BinaryPrimitives.ReadUInt32LittleEndian(bytes);

    static int ReadSession(ReadOnlySpan<byte> bytes)
    {
        var session = U32(bytes);
        if (session > int.MaxValue) throw new ClusterProtocolException($"session {session} is out of range");
        return (int)session;
    }

    static int ReadLargeSession(ReadOnlySpan<byte> bytes)
    {
        var session = ReadSession(bytes);
        if (session == 0) throw new ClusterProtocolException("multi-part message with session 0");
        return session;
    }

    static int ReadTotal(ReadOnlySpan<byte> bytes)
    {
        var total = U32(bytes);
        if (total < ClusterFrames.MultiPart || total > int.MaxValue)
            throw new ClusterProtocolException($"multi-part message announces {total} bytes; skynet sends only {ClusterFrames.MultiPart} or more");
        return (int)total;
    }
}
