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
internal sealed class ClusterSender(ClusterClient client) : Service
{
    readonly Dictionary<int, Responder> _pending = [];
    string _nodeName = "";
    string? _host;
    int _port;
    int _fd = -1;
    int _session = 1;
    bool _connecting;
    readonly Queue<(SenderRequest Request, Responder? Responder)> _waiting = new();
    LargeMessageAssembler<byte>? _large;

    protected override ValueTask OnStart(object?[] args)
    {
        _nodeName = (string)args[0]!;
        _host = (string?)args[1];
        _port = (int)args[2]!;
        Dispatch(PType.Lua, Handle);
        return default;
    }

    protected override ValueTask OnExit()
    {
        Disconnect("the cluster sender exited");
        return default;
    }

    ValueTask Handle(Message message)
    {
        switch (message.Payload)
        {
            case SenderRequest request:
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

    void Request(SenderRequest request, Responder? responder)
    {
        if (_fd >= 0 && _waiting.Count == 0)
        {
            Write(_fd, request, responder);
            return;
        }
        if (_host is null)
        {
            Fail(request, responder, $"cluster node [{_nodeName}] is offline (mapped to false)");
            return;
        }
        // Until the connection is up, requests wait in arrival order and are written in that order.
        _waiting.Enqueue((request, responder));
        if (!_connecting) _ = Connect(_host, _port);
    }

    void Write(int fd, SenderRequest request, Responder? responder)
    {
        Diagnostics.SkynetMetrics.RecordClusterCall(_nodeName);
        Diagnostics.ClusterTracing.WriteTraceFrame(this, fd, request);
        var session = _session;
        var output = new FrameBuffer(ClusterFrames.RequestSize(request.Target, request.Payload.Length));
        var large = ClusterFrames.WriteRequest(output, request.Target, session, request.Payload, request.Push);
        if (!request.Push || large) _session = session == int.MaxValue ? 1 : session + 1;
        if (responder is not null) _pending[session] = responder;
        if (!Sockets.Write(fd, output.Array) && responder is not null && _pending.Remove(session))
            responder.Fail(CallFailure.NodeDown, $"cluster node [{_nodeName}] connection is closed");
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
        if (fd >= 0)
        {
            Sockets.NoDelay(fd);
            _fd = fd;
            _large = new LargeMessageAssembler<byte>(client.Options.MaxMessageSize, client.Options.MaxBufferedBytes);
            _ = ReadLoop(fd);
        }
        if (fd < 0)
        {
            FailWaiting(failure!);
            return;
        }
        while (_waiting.TryDequeue(out var waiting)) Write(fd, waiting.Request, waiting.Responder);
    }

    void FailWaiting(string reason)
    {
        while (_waiting.TryDequeue(out var waiting)) Fail(waiting.Request, waiting.Responder, reason);
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
        if (_fd >= 0)
        {
            Sockets.Close(_fd);
            _fd = -1;
        }
        _large?.Clear();
        FailWaiting(reason);
        if (_pending.Count == 0) return;
        var failed = _pending.Values.ToArray();
        _pending.Clear();
        foreach (var responder in failed) responder.Fail(CallFailure.NodeDown, reason);
    }
}
