namespace Skynet.Channels;

/// <summary>
/// One connection of a <see cref="SocketChannel"/>: writes requests and hands responses back in order mode (a FIFO
/// of readers) or session mode (a table of sessions), with one dispatch coroutine as the socket's only reader. When the
/// connection ends, every waiting request fails with <see cref="SocketChannelException"/>.
/// </summary>
/// <remarks>Use it from the owner service's coroutines only, like the rest of the channel.</remarks>
public sealed class SocketChannelConnection
{
    readonly Service _owner;
    readonly int _fd;
    readonly Func<SocketChannelReader, ValueTask<SocketChannelResponse>>? _sessionReader;
    readonly SocketChannelReader _reader;
    readonly Queue<(Func<SocketChannelReader, ValueTask<object?>> Read, TaskCompletionSource<object?> Done)> _order = new();
    readonly Dictionary<long, TaskCompletionSource<object?>> _sessions = [];
    TaskCompletionSource? _work; // the dispatch loop waits here for an order-mode request
    Exception? _closedBecause;

    internal SocketChannelConnection(Service owner, int fd, SocketChannelEndpoint endpoint, Func<SocketChannelReader, ValueTask<SocketChannelResponse>>? sessionReader)
    {
        _owner = owner;
        _fd = fd;
        Endpoint = endpoint;
        _sessionReader = sessionReader;
        _reader = new SocketChannelReader(owner, fd, endpoint);
    }

    /// <summary>Where this connection goes.</summary>
    public SocketChannelEndpoint Endpoint { get; }

    /// <summary>False once the connection ended (closed here, by the peer, or by a failed read).</summary>
    public bool IsOpen => _closedBecause is null && _owner.Sockets.IsConnected(_fd);

    internal void Start(Action<SocketChannelConnection> closed)
    {
        // The peer hanging up fails waiting requests at once, even in order mode with no response being read.
        _owner.Sockets.OnClose(_fd, _ =>
        {
            Close(new SocketChannelException($"socket channel to {Endpoint}: the connection closed"), socketGone: true);
            closed(this);
        });
        _owner.Fork(_sessionReader is null ? DispatchByOrder : DispatchBySession);
    }

    /// <summary>Order mode: writes <paramref name="request"/> and reads its response with <paramref name="response"/>
    /// once the responses of earlier requests were read (<c>channel:request(req, response)</c>).</summary>
    /// <typeparam name="T">The response.</typeparam>
    /// <param name="request">The bytes to write.</param>
    /// <param name="response">Reads this request's response. If it throws, the request fails and the connection
    /// closes (the stream's position is unknown after a failed read).</param>
    public async ValueTask<T> Request<T>(byte[] request, Func<SocketChannelReader, ValueTask<T>> response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (_sessionReader is not null) throw new InvalidOperationException("This channel is in session mode: call Request(request, session).");
        var done = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Write(request);
        _order.Enqueue((async reader => await response(reader), done));
        _work?.TrySetResult();
        return (T)(await done.Task)!;
    }

    /// <summary>Session mode: writes <paramref name="request"/> and waits for the response the channel's reader
    /// reports for <paramref name="session"/>.</summary>
    /// <param name="request">The bytes to write.</param>
    /// <param name="session">The session the response will carry.</param>
    public async ValueTask<object?> Request(byte[] request, long session)
    {
        if (_sessionReader is null) throw new InvalidOperationException("This channel is in order mode: pass a response reader.");
        if (_sessions.ContainsKey(session)) throw new InvalidOperationException($"Session {session} is already waiting for a response.");
        var done = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Write(request);
        _sessions[session] = done;
        return await done.Task;
    }

    /// <summary>Writes <paramref name="request"/> and expects no response (<c>channel:request(req)</c>).</summary>
    /// <param name="request">The bytes to write.</param>
    public void Send(byte[] request) => Write(request);

    void Write(byte[] request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_closedBecause is not null) throw new SocketChannelException($"socket channel to {Endpoint}: the connection closed", _closedBecause);
        if (!_owner.Sockets.Write(_fd, request))
        {
            var e = new SocketChannelException($"socket channel to {Endpoint}: write failed, the connection closed");
            Close(e);
            throw e;
        }
    }

    async ValueTask DispatchByOrder()
    {
        while (_closedBecause is null)
        {
            if (!_order.TryPeek(out var next))
            {
                _work = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                await _work.Task;
                _work = null;
                continue;
            }
            try
            {
                var value = await next.Read(_reader);
                _order.Dequeue();
                next.Done.TrySetResult(value);
            }
            catch (Exception e)
            {
                Close(e as SocketChannelException ?? new SocketChannelException($"socket channel to {Endpoint}: reading a response failed: {e.Message}", e));
            }
        }
    }

    async ValueTask DispatchBySession()
    {
        while (_closedBecause is null)
        {
            SocketChannelResponse r;
            try
            {
                r = await _sessionReader!(_reader);
            }
            catch (Exception e)
            {
                Close(e as SocketChannelException ?? new SocketChannelException($"socket channel to {Endpoint}: reading a response failed: {e.Message}", e));
                return;
            }
            if (!_sessions.Remove(r.Session, out var done))
            {
                _owner.Log(Microsoft.Extensions.Logging.LogLevel.Warning, $"socket channel to {Endpoint}: a response for unknown session {r.Session}");
                continue;
            }
            if (r.Ok) done.TrySetResult(r.Data);
            else done.TrySetException(new SocketChannelException($"socket channel to {Endpoint}: session {r.Session} failed: {r.Data}"));
        }
    }

    /// <summary>Ends the connection; every waiting request fails with <paramref name="reason"/>.</summary>
    internal void Close(Exception reason, bool socketGone = false)
    {
        if (_closedBecause is not null) return;
        _closedBecause = reason;
        if (!socketGone) _owner.Sockets.Close(_fd);
        _work?.TrySetResult();
        var failure = reason as SocketChannelException ?? new SocketChannelException($"socket channel to {Endpoint}: {reason.Message}", reason);
        while (_order.TryDequeue(out var pending)) pending.Done.TrySetException(failure);
        foreach (var done in _sessions.Values) done.TrySetException(failure);
        _sessions.Clear();
    }
}
