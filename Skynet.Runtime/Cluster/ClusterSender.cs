using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Skynet.ClusterWire;

namespace Skynet;

/// <summary>
/// skynet's <c>clustersender</c>: one connection to one remote node, connected on first use and again after it
/// drops. Sessions are per connection; replies come back by session. When the connection drops, every call waiting
/// on it fails with NodeDown at once; when the node is offline (mapped to false), calls fail before anything is sent.
/// </summary>
/// <remarks>
/// While the connection is up and nothing waits in order before them, callers write their request frames themselves,
/// from their own turn (<see cref="Call"/>, <see cref="Post"/>): one hand-over between services less per call, and
/// the frame leaves with the caller's turn-end flush. The session number, the connection and the order on the wire
/// are taken under <see cref="_wire"/>, shared with this service's own writes; a call written that way still tells
/// this service (a <see cref="SenderWritten"/> message, queued before the frame is written), which waits for the reply
/// as before, so replies, NodeDown and timeouts keep one path.
/// </remarks>
internal sealed class ClusterSender(ClusterClient client) : Service
{
    readonly Dictionary<int, Responder> _pending = [];
    readonly Lock _wire = new(); // guards _fd, _session, _waiting and _posted: callers write under it too
    string _nodeName = "";
    string? _host;
    int _port;
    int _fd = -1;
    int _session = 1;
    int _posted; // requests posted to this service and not handled yet: until they are, callers post too (order)
    bool _connecting;
    readonly Queue<(SenderRequest Request, Responder? Responder)> _waiting = new();
    LargeMessageAssembler<byte>? _large;

    protected override ValueTask OnStart(object?[] args)
    {
        _nodeName = (string)args[0]!;
        _host = (string?)args[1];
        _port = (int)args[2]!;
        _ = Sockets; // created here, so that callers' threads only read it
        Dispatch(PType.Lua, Handle);
        client.Attach(Self, this);
        return default;
    }

    protected override ValueTask OnExit()
    {
        client.Detach(Self);
        Disconnect("the cluster sender exited");
        return default;
    }

    /// <summary>
    /// A call, from the caller's thread: <paramref name="call"/> sends this service its message (<see cref="SenderWritten"/>
    /// after the caller wrote the frame itself, when the connection is up and nothing waits before it; else the
    /// request, in order behind what waits) and returns the reply's wait.
    /// </summary>
    internal ValueTask<object?> Call(SenderRequest request, Func<object, ValueTask<object?>> call)
    {
        lock (_wire)
        {
            if (_fd >= 0 && _waiting.Count == 0 && _posted == 0)
            {
                var written = new SenderWritten(_fd, _session);
                // Queued before the frame leaves, so this service knows the session before any reply can arrive.
                var reply = call(written);
                if (reply.IsCompleted) return reply; // not delivered: this service is gone, the call fails as any call
                if (!WriteFrame(_fd, request)) written.Refused = true;
                return reply;
            }
            _posted++;
            return call(request);
        }
    }

    /// <summary>A push (or a call from outside a service): written at once when possible, else posted to this service in order.</summary>
    internal void Post(SenderRequest request, Action<SenderRequest> post)
    {
        lock (_wire)
        {
            if (request.Push && _fd >= 0 && _waiting.Count == 0 && _posted == 0)
            {
                WriteFrame(_fd, request);
                return;
            }
            _posted++;
            post(request);
        }
    }

    ValueTask Handle(Message message)
    {
        switch (message.Payload)
        {
            case SenderWritten written:
                Written(written);
                return default;
            case SenderRequest request:
                lock (_wire) _posted--;
                Request(request, request.Push ? null : Response());
                return default;
            case SenderChangeNode change:
                ChangeNode(change);
                Ret(null);
                return default;
            default:
                throw new InvalidOperationException($"clustersender got an unknown command {message.Payload}");
        }
    }

    void Written(SenderWritten written)
    {
        var responder = Response();
        lock (_wire)
        {
            if (written.Fd == _fd && !written.Refused)
            {
                _pending[written.Session] = responder;
                return;
            }
        }
        responder.Fail(CallFailure.NodeDown, $"cluster node [{_nodeName}] connection is closed");
    }

    void Request(SenderRequest request, Responder? responder)
    {
        lock (_wire)
        {
            if (_fd >= 0 && _waiting.Count == 0)
            {
                Write(_fd, request, responder);
                return;
            }
            // Until the connection is up, requests wait in arrival order and are written in that order.
            if (_host is not null) _waiting.Enqueue((request, responder));
        }
        if (_host is null) Fail(request, responder, $"cluster node [{_nodeName}] is offline (mapped to false)");
        else if (!_connecting) _ = Connect(_host, _port);
    }

    // Under _wire, in this service's turn.
    void Write(int fd, SenderRequest request, Responder? responder)
    {
        var session = _session;
        if (responder is not null) _pending[session] = responder;
        if (!WriteFrame(fd, request) && responder is not null && _pending.Remove(session))
            responder.Fail(CallFailure.NodeDown, $"cluster node [{_nodeName}] connection is closed");
    }

    // Under _wire, from this service or a caller: numbers and writes one request; false when the socket is closed.
    bool WriteFrame(int fd, SenderRequest request)
    {
        Diagnostics.SkynetMetrics.RecordClusterCall(_nodeName);
        Diagnostics.ClusterTracing.WriteTraceFrame(this, fd, request);
        var session = _session;
        var output = new FrameBuffer(ClusterFrames.RequestSize(request.Target, request.Payload.Length));
        var large = ClusterFrames.WriteRequest(output, request.Target, session, request.Payload, request.Push);
        if (!request.Push || large) _session = session == int.MaxValue ? 1 : session + 1;
        return Sockets.Write(fd, output.Array);
    }

    void Fail(SenderRequest request, Responder? responder, string reason)
    {
        if (responder is null) Log(LogLevel.Warning, $"cluster.send to {_nodeName} {request.Target} dropped: {reason}");
        else responder.Fail(CallFailure.NodeDown, reason);
    }

    async Task Connect(string host, int port)
    {
        _connecting = true;
        string? failure = null;
        var fd = -1;
        try
        {
            fd = await Sockets.Open(host, port);
        }
        catch (Exception ex)
        {
            failure = $"cluster node [{_nodeName}] at {host}:{port} is down: {ex.Message}";
        }
        _connecting = false;
        if (host != _host || port != _port)
        {
            // The node moved or went offline while connecting: what was waiting then has failed already
            // (ChangeNode); what came after goes to the new address.
            if (fd >= 0) Sockets.Close(fd);
            if (_host is not null && _waiting.Count > 0) _ = Connect(_host, _port);
            else FailWaiting($"cluster node [{_nodeName}] is offline (mapped to false)");
            return;
        }
        if (fd < 0)
        {
            FailWaiting(failure!);
            return;
        }
        Sockets.NoDelay(fd);
        _large = new LargeMessageAssembler<byte>(client.Options.MaxMessageSize, client.Options.MaxBufferedBytes);
        _ = ReadLoop(fd);
        lock (_wire)
        {
            _fd = fd;
            // Callers see the connection only with the waiting queue written: nothing overtakes it.
            while (_waiting.TryDequeue(out var waiting)) Write(fd, waiting.Request, waiting.Responder);
        }
    }

    void FailWaiting(string reason)
    {
        List<(SenderRequest Request, Responder? Responder)> failed;
        lock (_wire)
        {
            failed = [.. _waiting];
            _waiting.Clear();
        }
        foreach (var waiting in failed) Fail(waiting.Request, waiting.Responder, reason);
    }

    async Task ReadLoop(int fd)
    {
        var reader = new ClusterFrameReader();
        try
        {
            while (true)
            {
                var read = await Sockets.Read(fd);
                if (read.Data.Length > 0) reader.Feed(read.Data, this, static (self, body) => self.OnResponse(body));
                if (read.IsClosed) break;
            }
            if (_fd == fd) Log($"cluster node [{_nodeName}] closed the connection");
        }
        catch (ClusterProtocolException ex)
        {
            Log(LogLevel.Warning, $"cluster node [{_nodeName}] sent bad data, closing the connection: {ex.Message}");
        }
        catch (Exception ex)
        {
            Log(LogLevel.Error, $"cluster node [{_nodeName}] connection failed: {ex.Message}", ex);
        }
        if (_fd == fd) Disconnect($"the connection to cluster node [{_nodeName}] was lost");
    }

    void OnResponse(ReadOnlySpan<byte> body)
    {
        var frame = ClusterResponseFrame.Parse(body);
        switch (frame.Kind)
        {
            case ClusterResponseKind.Ok:
                Complete(frame.Session, true, frame.Payload);
                break;
            case ClusterResponseKind.Error:
                Complete(frame.Session, false, frame.Payload);
                break;
            case ClusterResponseKind.Begin:
                if (!_pending.ContainsKey(frame.Session)) throw new ClusterProtocolException($"a reply for session {frame.Session}, which has no call waiting");
                _large!.Begin(frame.Session, frame.TotalSize, 0);
                break;
            default:
                if (_large!.Append(frame.Session, frame.Payload, frame.Kind == ClusterResponseKind.End, out _, out var message))
                    Complete(frame.Session, message);
                break;
        }
    }

    // A reassembled reply owns its buffer: hand it over without copying when it is exactly the message.
    void Complete(int session, ReadOnlyMemory<byte> message)
    {
        if (MemoryMarshal.TryGetArray(message, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length)
        {
            if (!_pending.Remove(session, out var responder))
                throw new ClusterProtocolException($"a reply for session {session}, which has no call waiting");
            responder.Respond(true, segment.Array);
            return;
        }
        Complete(session, true, message.Span);
    }

    void Complete(int session, bool ok, ReadOnlySpan<byte> payload)
    {
        if (!_pending.Remove(session, out var responder))
            throw new ClusterProtocolException($"a reply for session {session}, which has no call waiting");
        if (ok) responder.Respond(true, payload.ToArray());
        else responder.Fail(CallFailure.Refused, $"cluster node [{_nodeName}]: {Encoding.UTF8.GetString(payload)}");
    }

    void ChangeNode(SenderChangeNode change)
    {
        if (change.Host == _host && change.Port == _port) return;
        if (change.Host is null) Log($"Close cluster sender {_host}:{_port}");
        _host = change.Host;
        _port = change.Port;
        Disconnect(change.Host is null ? $"cluster node [{_nodeName}] went offline" : $"cluster node [{_nodeName}] moved to {change.Host}:{change.Port}");
    }

    void Disconnect(string reason)
    {
        int fd;
        lock (_wire)
        {
            fd = _fd;
            _fd = -1;
        }
        if (fd >= 0) Sockets.Close(fd);
        _large?.Clear();
        FailWaiting(reason);
        if (_pending.Count == 0) return;
        var failed = _pending.Values.ToArray();
        _pending.Clear();
        foreach (var responder in failed) responder.Fail(CallFailure.NodeDown, reason);
    }
}
