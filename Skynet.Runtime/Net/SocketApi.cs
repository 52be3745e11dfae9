using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Skynet.Net;

/// <summary>
/// skynet's <c>skynet.socket</c> for one service, reached as <see cref="Service.Sockets"/>. Socket ids are node-wide
/// numbers: any service may <see cref="Write(int, byte[])"/> to any id, and a socket can be handed to another service
/// (<see cref="Abandon"/> here, <see cref="Start(int)"/> there).
/// </summary>
/// <remarks>
/// Reads suspend the calling coroutine (the service keeps handling other messages meanwhile, as in skynet). One
/// coroutine at a time may read a given socket. Call everything except the writes from the service's own code.
/// The first use registers this API as the service's <see cref="PType.Socket"/> dispatch function; do not
/// replace it with your own.
/// </remarks>
public sealed class SocketApi
{
    readonly Service _service;
    readonly SocketServer _server;
    readonly Dictionary<int, SocketState> _pool = [];
    Dictionary<int, Action<int>>? _closing; // OnClose callbacks of sockets closed here, run when their last event comes

    internal SocketApi(Service service)
    {
        _service = service;
        _server = SocketServer.For(service.Node);
        service.Dispatch(PType.Socket, Handle);
    }

    /// <summary>Socket events this API does not manage are offered here first (gate services consume their own connections).</summary>
    internal Func<SocketMessage, bool>? RawHandler { get; set; }

    internal SocketServer Server => _server;

    // ---- opening -------------------------------------------------------------------------------------------

    /// <summary>
    /// Binds a listening TCP socket (skynet's <c>socket.listen</c>). Nothing is accepted until
    /// <see cref="Start(int, Action{int, string})"/>. Port 0 picks a free port; read it with <see cref="LocalEndPoint"/>.
    /// </summary>
    /// <param name="host">The address to bind: <c>0.0.0.0</c> (or empty) for every IPv4 interface, <c>::</c> for IPv6 and IPv4, an IP or a host name.</param>
    /// <param name="port">The port, or 0.</param>
    /// <param name="backlog">The kernel's queue of connections not yet accepted.</param>
    /// <returns>The socket id.</returns>
    /// <exception cref="System.Net.Sockets.SocketException">The address cannot be bound (in use, not local, no permission).</exception>
    public int Listen(string? host, int port, int backlog = 128)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        return _server.Listen(host, port, backlog, _service);
    }

    /// <summary>
    /// Starts accepting on a listening socket (skynet's <c>socket.start(id, accept)</c>). <paramref name="accept"/>
    /// runs inside this service with the new socket's id and the peer's <c>ip:port</c>; the new socket belongs to
    /// this service and is not read until someone calls <see cref="Start(int)"/> on it. Close the ids you do not want.
    /// </summary>
    /// <returns>False when <paramref name="id"/> is not an open socket.</returns>
    /// <exception cref="InvalidOperationException">This service already manages <paramref name="id"/> as a connection; <see cref="Close"/> or <see cref="Abandon"/> it first.</exception>
    public bool Start(int id, Action<int, string> accept)
    {
        ArgumentNullException.ThrowIfNull(accept);
        ThrowIfManaged(id);
        var state = new SocketState(id) { Accept = accept, Connected = true };
        _pool[id] = state;
        if (_server.Start(id, _service)) return true;
        _pool.Remove(id);
        return false;
    }

    /// <summary>
    /// Takes ownership of a connected socket and starts reading it (skynet's <c>socket.start(id)</c>): an accepted
    /// socket, or one another service gave up with <see cref="Abandon"/>.
    /// </summary>
    /// <returns>False when <paramref name="id"/> is not an open socket.</returns>
    /// <exception cref="InvalidOperationException">This service already manages <paramref name="id"/>; <see cref="Close"/> or <see cref="Abandon"/> it first.</exception>
    public bool Start(int id)
    {
        ThrowIfManaged(id);
        var state = new SocketState(id) { Connected = true };
        _pool[id] = state;
        if (_server.Start(id, _service)) return true;
        _pool.Remove(id);
        return false;
    }

    /// <summary>Connects to <paramref name="host"/>:<paramref name="port"/> and waits for the connection (skynet's <c>socket.open</c>).</summary>
    /// <returns>The socket id, already reading.</returns>
    /// <exception cref="IOException">The connection failed; the message has the reason.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is not 1..65535.</exception>
    public async ValueTask<int> Open(string host, int port)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        if (port is < 1 or > 65535) throw new ArgumentOutOfRangeException(nameof(port), port, "A port to connect to is 1..65535.");
        var id = _server.Connect(host, port, _service);
        var state = new SocketState(id);
        _pool[id] = state;
        await Suspend(state, WaitMode.Connect);
        if (!state.Connected)
        {
            _pool.Remove(id);
            throw new IOException(state.Error ?? $"connect to {host}:{port} failed: the socket was closed while connecting");
        }
        return id;
    }

    // ---- reading -------------------------------------------------------------------------------------------

    /// <summary>
    /// Reads exactly <paramref name="size"/> bytes, or with no size whatever has arrived (at least one byte)
    /// (skynet's <c>socket.read</c>). When the socket closes first, the result has <see cref="SocketReadResult.IsClosed"/>
    /// set and holds what was left.
    /// </summary>
    /// <exception cref="InvalidOperationException">This service does not own <paramref name="id"/>, or another coroutine is reading it.</exception>
    public async ValueTask<SocketReadResult> Read(int id, int? size = null)
    {
        var state = Get(id);
        if (size is not { } wanted)
        {
            if (state.Buffer.Size > 0) return new(state.Buffer.PopAll(), false);
            if (!state.Readable) return new([], true);
            await Suspend(state, WaitMode.Any);
            return state.Buffer.Size > 0 ? new(state.Buffer.PopAll(), false) : new([], true);
        }
        ArgumentOutOfRangeException.ThrowIfNegative(wanted, nameof(size));
        if (state.Buffer.Size >= wanted) return new(state.Buffer.Pop(wanted), false);
        if (!state.Readable) return new(state.Buffer.PopAll(), true);
        state.Required = wanted;
        await Suspend(state, WaitMode.Size);
        return state.Buffer.Size >= wanted ? new(state.Buffer.Pop(wanted), false) : new(state.Buffer.PopAll(), true);
    }

    /// <summary>Reads until the peer closes and returns everything (skynet's <c>socket.readall</c>).</summary>
    public async ValueTask<byte[]> ReadAll(int id)
    {
        var state = Get(id);
        while (state.Readable) await Suspend(state, WaitMode.All);
        return state.Buffer.PopAll();
    }

    /// <summary>
    /// Reads up to <paramref name="separator"/> (default <c>"\n"</c>) and returns the line without it (skynet's
    /// <c>socket.readline</c>). When the socket closes first, the result is closed and holds what was left.
    /// </summary>
    public ValueTask<SocketReadResult> ReadLine(int id, string separator = "\n")
    {
        ArgumentException.ThrowIfNullOrEmpty(separator);
        return ReadLine(id, Encoding.UTF8.GetBytes(separator));
    }

    /// <summary>Reads up to a byte separator; see <see cref="ReadLine(int, string)"/>.</summary>
    public async ValueTask<SocketReadResult> ReadLine(int id, byte[] separator)
    {
        ArgumentNullException.ThrowIfNull(separator);
        if (separator.Length == 0) throw new ArgumentException("A line separator has at least one byte.", nameof(separator));
        var state = Get(id);
        var at = state.Buffer.IndexOf(separator);
        if (at < 0 && state.Readable)
        {
            state.Separator = separator;
            await Suspend(state, WaitMode.Line);
            at = state.Buffer.IndexOf(separator);
        }
        if (at < 0) return new(state.Buffer.PopAll(), true);
        var line = state.Buffer.Pop(at);
        state.Buffer.Skip(separator.Length);
        return new(line, false);
    }

    /// <summary>
    /// Waits until data is buffered or the socket closes (skynet's <c>socket.block</c>).
    /// </summary>
    /// <returns>True while the socket is still connected.</returns>
    public async ValueTask<bool> Block(int id)
    {
        if (!_pool.TryGetValue(id, out var state) || !state.Readable) return false;
        if (state.Buffer.Size == 0) await Suspend(state, WaitMode.Any);
        return state.Readable;
    }

    /// <summary>
    /// Caps the bytes this service buffers for <paramref name="id"/> (skynet's <c>socket.limit</c>); past it the
    /// socket is closed with a log line. 0 removes the cap.
    /// </summary>
    public void Limit(int id, long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        Get(id).Limit = bytes;
    }

    // ---- writing -------------------------------------------------------------------------------------------

    /// <summary>
    /// Queues <paramref name="data"/> for sending (skynet's <c>socket.write</c>). The array is sent as it is when
    /// its turn comes: do not change it afterwards. Works from any service for any socket id.
    /// </summary>
    /// <returns>False when the socket is closed or closing (the data is dropped).</returns>
    public bool Write(int id, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return _server.Write(id, data, lowPriority: false);
    }

    /// <summary>Queues a copy of <paramref name="data"/>.</summary>
    public bool Write(int id, ReadOnlySpan<byte> data) => _server.Write(id, data.ToArray(), lowPriority: false);

    /// <summary>Queues <paramref name="text"/> as UTF-8.</summary>
    public bool Write(int id, string text) => _server.Write(id, Encoding.UTF8.GetBytes(text), lowPriority: false);

    /// <summary>
    /// Queues <paramref name="data"/> at low priority (skynet's <c>socket.lwrite</c>): it is sent only when the normal
    /// queue is empty, and each buffer goes out whole, never interleaved with other writes.
    /// </summary>
    public bool LWrite(int id, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return _server.Write(id, data, lowPriority: true);
    }

    /// <summary>Queues <paramref name="text"/> as UTF-8 at low priority.</summary>
    public bool LWrite(int id, string text) => _server.Write(id, Encoding.UTF8.GetBytes(text), lowPriority: true);

    /// <summary>
    /// Sets the callback for output backlog warnings (skynet's <c>socket.warning</c>): called with the id and the
    /// pending KiB once more than 1 MiB waits, again for every further 64 KiB, and with 0 once the queue drains.
    /// Without a callback a line is logged for each warning.
    /// </summary>
    public void Warning(int id, Action<int, int> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        Get(id).Warning = callback;
    }

    /// <summary>
    /// Calls <paramref name="callback"/> inside this service when the socket has closed or failed (skynet's
    /// <c>socket.onclose</c>): after the peer hangs up, an error, or this service's own <see cref="Close"/> or
    /// <see cref="Shutdown"/> (then once the connection has really ended, queued output sent or dropped).
    /// </summary>
    public void OnClose(int id, Action<int> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        Get(id).OnClose = callback;
    }

    /// <summary>Disables Nagle's algorithm (skynet's <c>socket.nodelay</c>).</summary>
    public void NoDelay(int id) => _server.NoDelay(id);

    // ---- closing -------------------------------------------------------------------------------------------

    /// <summary>
    /// Closes the socket (skynet's <c>socket.close</c>): a coroutine blocked reading it wakes first and gets a closed
    /// result with what was buffered; queued writes are still sent, then the connection ends.
    /// </summary>
    public void Close(int id)
    {
        if (_pool.Remove(id, out var state)) Release(state);
        _server.Close(id);
    }

    void Release(SocketState state)
    {
        state.Connected = false;
        state.Closing = true;
        WakeReader(state);
        if (state.OnClose is { } onClose && _server.Exists(state.Id)) (_closing ??= [])[state.Id] = onClose;
        else state.OnClose?.Invoke(state.Id);
    }

    /// <summary>
    /// Closes a socket this service never started (skynet's <c>socket.close_fd</c>), for example an accepted id it
    /// does not want.
    /// </summary>
    /// <exception cref="InvalidOperationException">The socket is managed here; use <see cref="Close"/>.</exception>
    public void CloseFd(int id)
    {
        if (_pool.ContainsKey(id)) throw new InvalidOperationException($"Socket {id} was started by this service; close it with Close.");
        _server.Close(id);
    }

    /// <summary>Closes at once and drops queued writes (skynet's <c>socket.shutdown</c>).</summary>
    public void Shutdown(int id)
    {
        if (_pool.Remove(id, out var state))
        {
            state.Buffer.Clear();
            Release(state);
        }
        _server.Shutdown(id);
    }

    /// <summary>
    /// Stops reading a socket this service manages (skynet's <c>socket.pause</c>): the kernel's receive buffer fills
    /// and TCP flow control slows the peer down. <see cref="Resume"/> reads again.
    /// </summary>
    /// <exception cref="InvalidOperationException">This service does not manage <paramref name="id"/>.</exception>
    public void Pause(int id)
    {
        Get(id);
        _server.Pause(id);
    }

    /// <summary>Reads a paused socket again (skynet's <c>socket.start</c> on a paused socket).</summary>
    /// <exception cref="InvalidOperationException">This service does not manage <paramref name="id"/>.</exception>
    public void Resume(int id)
    {
        Get(id);
        _server.Start(id, _service);
    }

    /// <summary>
    /// Forgets the socket here and pauses its reading without closing it (skynet's <c>socket.abandon</c>), so another
    /// service can take it with <see cref="Start(int)"/>. Bytes buffered here are dropped.
    /// </summary>
    public void Abandon(int id)
    {
        _server.Pause(id);
        if (_pool.Remove(id, out var state))
        {
            state.OnClose = null; // the socket lives on with its next owner
            Release(state);
        }
    }

    // ---- UDP -----------------------------------------------------------------------------------------------

    /// <summary>
    /// Opens a UDP socket bound to <paramref name="host"/>:<paramref name="port"/> (skynet's <c>socket.udp</c>);
    /// every datagram calls <paramref name="callback"/> inside this service with the data and the sender.
    /// </summary>
    /// <returns>The socket id.</returns>
    public int Udp(Action<byte[], IPEndPoint> callback, string? host = null, int port = 0)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var id = _server.Udp(host, port, _service);
        _pool[id] = new SocketState(id) { Udp = callback, Connected = true };
        return id;
    }

    /// <summary>Sets the default peer of a UDP socket, so <see cref="Write(int, byte[])"/> sends there (skynet's <c>socket.udp_connect</c>).</summary>
    public void UdpConnect(int id, string host, int port) => _server.UdpConnect(id, host, port);

    /// <summary>Sends one datagram (skynet's <c>socket.sendto</c>).</summary>
    /// <returns>False when the socket is closed or the send failed.</returns>
    public bool SendTo(int id, IPEndPoint to, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(data);
        return _server.SendTo(id, to, data);
    }

    // ---- information ---------------------------------------------------------------------------------------

    /// <summary>Resolves a host name without blocking the service (skynet's <c>skynet.dns</c>); await it inside the service.</summary>
    public Task<IPAddress[]> Resolve(string host) => Dns.GetHostAddressesAsync(host);

    /// <summary>The local address of a socket (the bound port of a listening socket), or null when it is closed.</summary>
    public IPEndPoint? LocalEndPoint(int id) => _server.LocalEndPoint(id) as IPEndPoint;

    /// <summary>The peer of a connected socket, or null.</summary>
    public IPEndPoint? RemoteEndPoint(int id) => _server.RemoteEndPoint(id) as IPEndPoint;

    /// <summary>True when this service manages <paramref name="id"/> and it is connected (the opposite of skynet's <c>socket.disconnected</c>).</summary>
    public bool IsConnected(int id) => _pool.TryGetValue(id, out var state) && state.Connected;

    /// <summary>True when this service does not manage <paramref name="id"/> (skynet's <c>socket.invalid</c>).</summary>
    public bool Invalid(int id) => !_pool.ContainsKey(id);

    /// <summary>Every socket of the node with its state, traffic and backlog (skynet's <c>socket.netstat</c>), ordered by id.</summary>
    public IReadOnlyList<SocketInfo> Netstat() => _server.Netstat();

    /// <summary>The socket layer's totals: open sockets, the descriptor budget, refusals and queued output.</summary>
    public NetStats Stats()
    {
        var budget = DescriptorBudget.Process;
        return new NetStats(_server.Count, budget.Open, budget.Limit, budget.AcceptCeiling(_server.Limits.DescriptorHeadroom),
            budget.Pauses, NetMetrics.RefusedTotal, NetMetrics.SlowReadersTotal, _server.Queued, _server.Limits.SendBudget);
    }

    // ---- events --------------------------------------------------------------------------------------------

    ValueTask Handle(Message message)
    {
        if (message.Payload is not SocketMessage socket) return default;
        if (socket.Type == SocketEventType.Data) _server.Ack(socket.Id, socket.Data!.Length);
        if (RawHandler is { } raw && raw(socket)) return default;
        _pool.TryGetValue(socket.Id, out var state);
        if (state is null && socket.Type is SocketEventType.Close or SocketEventType.Error && _closing is { } closing && closing.Remove(socket.Id, out var closed))
        {
            closed(socket.Id);
            return default;
        }
        switch (socket.Type)
        {
            case SocketEventType.Data:
                if (state is null || state.Closing) return default; // not ours any more: dropped, as skynet does
                state.Buffer.Append(socket.Data!);
                if (state.Limit > 0 && state.Buffer.Size > state.Limit)
                {
                    NetMetrics.Refused("read-limit");
                    _service.LogAggregated("socket read limit", LogLevel.Warning, $"socket: {socket.Id} exceeds its buffer limit ({state.Buffer.Size} > {state.Limit} bytes); closing it");
                    state.Buffer.Clear();
                    state.Connected = false;
                    _server.Close(socket.Id);
                    WakeReader(state);
                }
                else if (state.Satisfied)
                {
                    WakeReader(state);
                }
                break;
            case SocketEventType.Connect:
                if (state is null) return default;
                state.Connected = true;
                WakeReader(state);
                break;
            case SocketEventType.Close:
            case SocketEventType.Error:
                if (state is null) return default;
                state.Connected = false;
                state.Error = socket.Text;
                WakeReader(state);
                var onClose = state.OnClose;
                state.OnClose = null; // once, as skynet clears socket_onclose[id]: a later Close here must not call it again
                onClose?.Invoke(socket.Id);
                if (state.Accept is not null || state.Udp is not null) _pool.Remove(socket.Id);
                break;
            case SocketEventType.Accept:
                if (state?.Accept is { } accept) accept(socket.Ud, socket.Text ?? "");
                else _server.Close(socket.Ud); // nobody accepts here: do not leak it
                break;
            case SocketEventType.Udp:
                state?.Udp?.Invoke(socket.Data!, socket.EndPoint!);
                break;
            case SocketEventType.Warning:
                if (state?.Warning is { } warning) warning(socket.Id, socket.Ud);
                else if (socket.Ud > 0)
                    _service.LogAggregated("socket warning", LogLevel.Warning, $"WARNING: {socket.Ud} K bytes need to send out (fd = {socket.Id} {RemoteEndPoint(socket.Id)})");
                break;
        }
        return default;
    }

    /// <summary>
    /// skynet's <c>connect</c> raises "socket is not closed" for an id still in its pool: replacing the state would drop
    /// its buffer and leave a coroutine blocked on it waiting forever. A listening socket may be started again.
    /// </summary>
    void ThrowIfManaged(int id)
    {
        if (_pool.TryGetValue(id, out var existing) && existing.Accept is null)
            throw new InvalidOperationException($"Socket {id} is already managed by {_service.Self}; Close or Abandon it before starting it again.");
    }

    SocketState Get(int id) => _pool.TryGetValue(id, out var state)
        ? state
        : throw new InvalidOperationException($"Socket {id} is not managed by {_service.Self}: call Start (or Open, Udp) in this service before reading it.");

    async ValueTask Suspend(SocketState state, WaitMode mode)
    {
        if (state.Mode != WaitMode.None)
            throw new InvalidOperationException($"Another coroutine of {_service.Self} is already reading socket {state.Id}; a socket has one reader at a time.");
        state.Mode = mode;
        try
        {
            await _service.Wait(state);
        }
        finally
        {
            state.Mode = WaitMode.None;
            state.Separator = null;
            state.Required = 0;
        }
    }

    void WakeReader(SocketState state)
    {
        if (state.Mode != WaitMode.None) _service.Wakeup(state);
    }

    enum WaitMode : byte { None, Any, Size, Line, All, Connect }

    sealed class SocketState(int id)
    {
        public readonly int Id = id;
        public readonly SocketBuffer Buffer = new();
        public bool Connected;
        public bool Closing;
        public string? Error;
        public long Limit;
        public WaitMode Mode;
        public int Required;
        public byte[]? Separator;
        public Action<int, string>? Accept;
        public Action<byte[], IPEndPoint>? Udp;
        public Action<int, int>? Warning;
        public Action<int>? OnClose;

        public bool Readable => Connected && !Closing;

        public bool Satisfied => Mode switch
        {
            WaitMode.Any => Buffer.Size > 0,
            WaitMode.Size => Buffer.Size >= Required,
            WaitMode.Line => Buffer.IndexOf(Separator) >= 0,
            _ => false,
        };
    }
}
