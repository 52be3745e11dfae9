using System.Collections.Concurrent;

namespace Skynet.Sproto;

/// <summary>
/// skynet's sproto RPC host (<c>sproto:host</c>): <see cref="Dispatch"/> reads a packed message whose header is the
/// package type (<c>type</c> = protocol tag for a request, absent for a response; <c>session</c>; optional
/// <c>ud</c>), and <see cref="Attach"/> gives a sender that writes requests of another schema and remembers their
/// sessions so that the responses decode with the right type.
/// </summary>
/// <remarks>
/// One host belongs to one connection (sessions are per peer). Its session table is thread-safe, so a request may be
/// sent from one thread and its response dispatched on another.
/// </remarks>
public sealed class SprotoHost
{
    readonly SprotoSchema _schema;
    readonly SprotoType _package;
    readonly ConcurrentDictionary<long, SprotoProtocol> _sessions = new();

    internal SprotoHost(SprotoSchema schema, SprotoType package)
    {
        _schema = schema;
        _package = package;
    }

    /// <summary>The schema whose requests this host reads (and whose responses it writes).</summary>
    public SprotoSchema Schema => _schema;

    /// <summary>Sessions sent through an attached sender and not yet answered.</summary>
    public int PendingSessions => _sessions.Count;

    /// <summary>
    /// Unpacks and decodes one message (<c>host:dispatch</c>): a <see cref="SprotoMessageKind.Request"/> for a
    /// protocol of <see cref="Schema"/> (with a responder when it carries a session), or a
    /// <see cref="SprotoMessageKind.Response"/> to a session sent by an attached sender.
    /// </summary>
    /// <param name="packed">One packed message, as framed by the gate.</param>
    /// <exception cref="SprotoException">Bad bytes, an unknown protocol tag, a response without session or to an
    /// unknown session.</exception>
    public SprotoMessage Dispatch(ReadOnlySpan<byte> packed)
    {
        var bin = SprotoPacking.Unpack(packed);
        var (header, used) = SprotoDecoder.Decode(_package, bin);
        var content = bin.AsSpan(used);
        var ud = header.GetValueOrDefault("ud");
        var session = header.GetValueOrDefault("session") as long?;
        if (header.GetValueOrDefault("type") is long tag)
        {
            if (tag is < 0 or > int.MaxValue) throw new SprotoException($"protocol tag {tag} not found");
            var proto = _schema.GetProtocol((int)tag);
            var args = proto.Request is null ? null : SprotoDecoder.Decode(proto.Request, content).Value;
            var responder = session is long s ? new SprotoResponder(this, proto, s) : null;
            return new SprotoMessage(SprotoMessageKind.Request, proto.Name, args, session, responder, ud);
        }
        if (session is not long sessionId) throw new SprotoException("session not found");
        if (!_sessions.TryRemove(sessionId, out var sent)) throw new SprotoException($"Unknown session {sessionId}");
        var result = sent.Response is null ? null : SprotoDecoder.Decode(sent.Response, content).Value;
        return new SprotoMessage(SprotoMessageKind.Response, sent.Name, result, sessionId, null, ud);
    }

    /// <summary>Creates a sender of requests of <paramref name="schema"/> (<c>host:attach(sp)</c>).</summary>
    /// <param name="schema">The schema of the requests to send (the peer's).</param>
    public SprotoSender Attach(SprotoSchema schema) => new(this, schema);

    internal byte[] EncodeRequest(SprotoSchema schema, string name, IReadOnlyDictionary<string, object?>? args, long? session, object? ud)
    {
        var proto = schema.GetProtocol(name);
        var header = new SprotoObject { ["type"] = (long)proto.Tag, ["session"] = session, ["ud"] = ud };
        var headerBytes = SprotoEncoder.Encode(_package, header);
        var content = proto.Request is null ? [] : SprotoEncoder.Encode(proto.Request, args);
        if (session is long s) _sessions[s] = proto;
        return SprotoPacking.Pack([.. headerBytes, .. content]);
    }

    internal byte[] EncodeResponse(SprotoProtocol proto, long session, IReadOnlyDictionary<string, object?>? args, object? ud)
    {
        var header = new SprotoObject { ["session"] = session, ["ud"] = ud };
        var headerBytes = SprotoEncoder.Encode(_package, header);
        var content = proto.Response is null ? [] : SprotoEncoder.Encode(proto.Response, args);
        return SprotoPacking.Pack([.. headerBytes, .. content]);
    }
}
