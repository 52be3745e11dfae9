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
    Task<int>? _connecting;
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
                return Request(request, request.Push ? null : Response());
            case SenderChangeNode change:
                ChangeNode(change);
                Ret(null);
                return default;
            default:
                throw new InvalidOperationException($"clustersender got an unknown command {message.Payload}");
        }
    }

    async ValueTask Request(SenderRequest request, Responder? responder)
    {
        int fd;
        try
        {
            fd = _fd >= 0 ? _fd : await Connect();
        }
        catch (CallFailedException ex)
        {
            if (responder is null) Log(LogLevel.Warning, $"cluster.send to {_nodeName} {request.Target} dropped: {ex.Reason}");
            else responder.Respond(false, new CallError(ex.Failure, ex.Reason));
            return;
        }
        var session = _session;
        var output = new FrameBuffer(ClusterFrames.RequestSize(request.Target, request.Payload.Length));
        var large = ClusterFrames.WriteRequest(output, request.Target, session, request.Payload, request.Push);
        if (!request.Push || large) _session = session == int.MaxValue ? 1 : session + 1;
        if (responder is not null) _pending[session] = responder;
        if (!Sockets.Write(fd, output.Array) && responder is not null && _pending.Remove(session))
            responder.Respond(false, ClusterFailures.Down($"cluster node [{_nodeName}] connection is closed"));
    }

    Task<int> Connect()
    {
        if (_host is null)
            throw new CallFailedException(Address.None, ClusterFailures.NodeDown, $"cluster node [{_nodeName}] is offline (mapped to false)");
        return _connecting ??= ConnectCore(_host, _port);
    }

    async Task<int> ConnectCore(string host, int port)
    {
        try
        {
            int fd;
            try
            {
                fd = await Sockets.Open(host, port);
            }
            catch (IOException ex)
            {
                throw new CallFailedException(Address.None, ClusterFailures.NodeDown, $"cluster node [{_nodeName}] at {host}:{port} is down: {ex.Message}");
            }
            if (host != _host || port != _port)
            {
                Sockets.Close(fd); // the node moved while connecting
                throw new CallFailedException(Address.None, ClusterFailures.NodeDown, $"cluster node [{_nodeName}] moved while connecting");
            }
            Sockets.NoDelay(fd);
            _fd = fd;
            _large = new LargeMessageAssembler<byte>(client.Options.MaxMessageSize, client.Options.MaxBufferedBytes);
            _ = ReadLoop(fd);
            return fd;
        }
        finally
        {
            _connecting = null;
        }
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
                    Complete(frame.Session, true, message.Span);
                break;
        }
    }

    void Complete(int session, bool ok, ReadOnlySpan<byte> payload)
    {
        if (!_pending.Remove(session, out var responder))
            throw new ClusterProtocolException($"a reply for session {session}, which has no call waiting");
        if (ok) responder.Respond(true, payload.ToArray());
        else responder.Respond(false, new CallError(CallFailure.Refused, $"cluster node [{_nodeName}]: {Encoding.UTF8.GetString(payload)}"));
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
        if (_pending.Count == 0) return;
        var failed = _pending.Values.ToArray();
        _pending.Clear();
        foreach (var responder in failed) responder.Respond(false, ClusterFailures.Down(reason));
    }
}
