using System.Buffers.Binary;

namespace Skynet.ClusterWire;

/// <summary>What one response frame body is.</summary>
public enum ClusterResponseKind
{
    /// <summary>The call failed; the payload is the error message.</summary>
    Error,
    /// <summary>A whole reply.</summary>
    Ok,
    /// <summary>The start of a multi-part reply: only the total size.</summary>
    Begin,
    /// <summary>A part of a multi-part reply (more follow).</summary>
    Part,
    /// <summary>The last part of a multi-part reply.</summary>
    End,
}

/// <summary>One response frame body, parsed as skynet's <c>cluster.unpackresponse</c> does.</summary>
public readonly ref struct ClusterResponseFrame
{
    /// <summary>The frame's kind.</summary>
    public ClusterResponseKind Kind { get; init; }

    /// <summary>The session of the request this answers.</summary>
    public int Session { get; init; }

    /// <summary>The announced total of a <see cref="ClusterResponseKind.Begin"/>.</summary>
    public int TotalSize { get; init; }

    /// <summary>The payload (a slice of the frame body).</summary>
    public ReadOnlySpan<byte> Payload { get; init; }

    /// <summary>Parses a frame body (the bytes after the u16 length).</summary>
    /// <exception cref="ClusterProtocolException">The body is not a valid response frame.</exception>
    public static ClusterResponseFrame Parse(ReadOnlySpan<byte> body)
    {
        if (body.Length < 5) throw new ClusterProtocolException($"response frame has {body.Length} bytes; it needs at least 5");
        var raw = BinaryPrimitives.ReadUInt32LittleEndian(body);
        if (raw is 0 or > int.MaxValue) throw new ClusterProtocolException($"response for session {raw}, which no request uses");
        var session = (int)raw;
        switch (body[4])
        {
            case ClusterFrames.ResponseError: return new() { Kind = ClusterResponseKind.Error, Session = session, Payload = body[5..] };
            case ClusterFrames.ResponseOk: return new() { Kind = ClusterResponseKind.Ok, Session = session, Payload = body[5..] };
            case ClusterFrames.ResponseBegin:
                if (body.Length != 9) throw new ClusterProtocolException($"multi-part response header has {body.Length} bytes; it must have 9");
                var total = BinaryPrimitives.ReadUInt32LittleEndian(body[5..]);
                if (total <= ClusterFrames.MultiPart || total > int.MaxValue)
                    throw new ClusterProtocolException($"multi-part response announces {total} bytes; skynet sends only more than {ClusterFrames.MultiPart}");
                return new() { Kind = ClusterResponseKind.Begin, Session = session, TotalSize = (int)total };
            case ClusterFrames.ResponsePart: return new() { Kind = ClusterResponseKind.Part, Session = session, Payload = body[5..] };
            case ClusterFrames.ResponseEnd: return new() { Kind = ClusterResponseKind.End, Session = session, Payload = body[5..] };
            default: throw new ClusterProtocolException($"unknown response frame type {body[4]}");
        }
    }
}
