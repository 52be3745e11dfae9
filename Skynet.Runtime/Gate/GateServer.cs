using Microsoft.Extensions.Logging;
using Skynet.Net;

namespace Skynet.Gate;

/// <summary>
/// The template of a TCP gate, skynet's <c>snax.gateserver</c>: it listens, accepts up to
/// <see cref="GateOptions.MaxClient"/> clients, splits their byte streams into netpack frames and hands you events.
/// Derive from it and override the handlers; the stock <see cref="GateService"/> is one such gate.
/// </summary>
/// <remarks>
/// Commands arrive as <see cref="PType.Lua"/> argument lists whose first element is the command name:
/// <c>"open", GateOptions</c> starts listening and replies with what <see cref="OnOpen"/> returns;
/// <c>"close"</c> stops listening; anything else goes to <see cref="OnCommand"/>. A client's frames are read only
/// after <see cref="OpenClient"/>. Any input a client sends, however malformed, affects only that client.
/// </remarks>
public abstract class GateServer : Service
{
    readonly Dictionary<int, Connection> _connections = [];
    GateOptions? _options;
    int _listenId;
    int _opens;

    /// <summary>The number of clients connected now.</summary>
    protected int ClientCount => _connections.Count;

    /// <summary>The options of the last <c>open</c>, or null before it.</summary>
    protected GateOptions? Options => _options;

    /// <summary>Registers the gate's dispatch functions, then runs <see cref="OnGateStart"/>.</summary>
    protected sealed override ValueTask OnStart(object?[] args)
    {
        SocketDriver.Events = HandleSocket;
        Dispatch(PType.Lua, HandleCommand);
        return OnGateStart(args);
    }

    /// <summary>Runs once at start with the service's start arguments (the place for a derived gate's own setup).</summary>
    protected virtual ValueTask OnGateStart(object?[] args) => default;

    /// <summary>A client connected (skynet's <c>handler.connect</c>); its frames are read after <see cref="OpenClient"/>.</summary>
    /// <param name="fd">The client's socket id.</param>
    /// <param name="address">The client's <c>ip:port</c>.</param>
    protected abstract void OnConnect(int fd, string address);

    /// <summary>A complete frame arrived from an opened client (skynet's <c>handler.message</c>). An exception is logged and the next frame still comes.</summary>
    /// <param name="fd">The client's socket id.</param>
    /// <param name="payload">The frame without its length header; yours to keep.</param>
    protected abstract void OnMessage(int fd, byte[] payload);

    /// <summary>A client's connection closed: it hung up or it was closed here (skynet's <c>handler.disconnect</c>).</summary>
    protected virtual void OnDisconnect(int fd) { }

    /// <summary>A client's connection failed and is closed: reset, bad framing, or it stopped reading (skynet's <c>handler.error</c>).</summary>
    protected virtual void OnError(int fd, string message) { }

    /// <summary>More than 1 MiB waits to be sent to a client; <paramref name="sizeKiB"/> is the backlog, 0 once drained (skynet's <c>handler.warning</c>).</summary>
    protected virtual void OnWarning(int fd, int sizeKiB) { }

    /// <summary>The gate is listening (skynet's <c>handler.open</c>); <see cref="GateOptions.Port"/> holds the bound port. The result is the reply to <c>open</c>.</summary>
    protected virtual ValueTask<object?> OnOpen(Address source, GateOptions options) => new((object?)options.Port);

    /// <summary>Any command other than <c>open</c> and <c>close</c> (skynet's <c>handler.command</c>); the result is the reply.</summary>
    /// <exception cref="InvalidOperationException">By default: the command is unknown.</exception>
    protected virtual ValueTask<object?> OnCommand(string command, Address source, object?[] args) =>
        throw new InvalidOperationException($"The gate {Self} has no command '{command}'.");

    /// <summary>Starts reading a connected client's frames (skynet's <c>gateserver.openclient</c>).</summary>
    protected void OpenClient(int fd)
    {
        if (_connections.TryGetValue(fd, out var connection) && !connection.Opened && !connection.Closing)
        {
            connection.Opened = true;
            SocketDriver.Start(fd);
        }
    }

    /// <summary>Closes a client after its queued output is sent (skynet's <c>gateserver.closeclient</c>); <see cref="OnDisconnect"/> follows.</summary>
    protected void CloseClient(int fd)
    {
        if (_connections.TryGetValue(fd, out var connection) && !connection.Closing)
        {
            connection.Closing = true;
            SocketDriver.Close(fd);
        }
    }

    async ValueTask HandleCommand(Message message)
    {
        var args = message.Args;
        var command = args.Length > 0 ? args[0] as string : null;
        if (command is null) throw new ArgumentException($"A gate command is an argument list that starts with the command name; got {message.Payload ?? "null"} from {message.Source}.");
        object? result;
        switch (command)
        {
            case "open":
                result = await Open(message.Source, args.Length > 1 ? args[1] as GateOptions : null);
                break;
            case "close":
                if (_listenId != 0) SocketDriver.Close(_listenId);
                _listenId = 0;
                _opens++; // ends the idle sweep of that open
                result = null;
                break;
            default:
                result = await OnCommand(command, message.Source, args[1..]);
                break;
        }
        if (message.IsRequest) Ret(result);
    }

    ValueTask<object?> Open(Address source, GateOptions? options)
    {
        ArgumentNullException.ThrowIfNull(options, "options (the second argument of 'open')");
        if (_listenId != 0) throw new InvalidOperationException($"The gate {Self} is already listening; send 'close' first.");
        if (options.MaxClient < 1) throw new ArgumentOutOfRangeException(nameof(options), options.MaxClient, "MaxClient must be at least 1.");
        if (options.IdleTimeout < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), options.IdleTimeout, "IdleTimeout cannot be negative (zero disables it).");
        _ = new NetPackDecoder(options.MaxFrameLength); // validates the limit before anything opens
        var id = Sockets.Listen(options.Host, options.Port, options.Backlog);
        options.Port = Sockets.LocalEndPoint(id)?.Port ?? options.Port;
        _options = options;
        _listenId = id;
        SocketDriver.Start(id);
        Log($"Listen on {options.Host}:{options.Port}");
        if (options.IdleTimeout > TimeSpan.Zero) ScheduleIdleSweep(options, ++_opens);
        return OnOpen(source, options);
    }

    bool HandleSocket(SocketMessage message)
    {
        if (message.Id == _listenId && _listenId != 0)
        {
            switch (message.Type)
            {
                case SocketEventType.Accept:
                    Accept(message.Ud, message.Text ?? "");
                    break;
                case SocketEventType.Close:
                case SocketEventType.Error:
                    _listenId = 0;
                    if (message.Type == SocketEventType.Error) Log(LogLevel.Error, $"gateserver accept error: {message.Text}");
                    break;
            }
            return true;
        }
        if (!_connections.TryGetValue(message.Id, out var connection)) return false;
        switch (message.Type)
        {
            case SocketEventType.Data:
                connection.LastInput = Node.Now;
                if (connection.Opened && !connection.Closing) Feed(connection, message.Data!);
                break;
            case SocketEventType.Close:
                Forget(connection);
                OnDisconnect(message.Id);
                break;
            case SocketEventType.Error:
                Forget(connection);
                OnError(message.Id, message.Text ?? "error");
                break;
            case SocketEventType.Warning:
                OnWarning(message.Id, message.Ud);
                break;
        }
        return true;
    }

    void Accept(int fd, string address)
    {
        var options = _options!;
        if (!GateConnections.Admit(this, "gate", fd, address, _connections.Count, options.MaxClient)) return;
        _connections[fd] = new Connection(this, fd, new NetPackDecoder(options.MaxFrameLength)) { LastInput = Node.Now };
        if (options.MaxWriteBuffer > 0) SocketDriver.SetWriteLimit(fd, options.MaxWriteBuffer);
        if (options.NoDelay) SocketDriver.NoDelay(fd);
        OnConnect(fd, address);
    }

    /// <summary>Closes clients that sent nothing for <see cref="GateOptions.IdleTimeout"/>.</summary>
    void ScheduleIdleSweep(GateOptions options, int open) =>
        GateConnections.SweepIdle(this, "gate", options.IdleTimeout, () => _opens == open, () => _connections.Values,
            static c => c.Closing ? null : c.LastInput,
            connection =>
            {
                Forget(connection);
                SocketDriver.Shutdown(connection.Fd);
                OnError(connection.Fd, $"idle for {options.IdleTimeout.TotalSeconds} s");
            });

    void Forget(Connection connection)
    {
        _connections.Remove(connection.Fd);
        connection.Closing = true;
        connection.Decoder.Dispose();
    }

    static void Feed(Connection connection, byte[] data)
    {
        if (connection.Decoder.Feed(data, connection, static (c, payload) => c.Gate.Deliver(c, payload)) == NetPackDecodeResult.FrameTooLong && !connection.Closing)
        {
            var gate = connection.Gate;
            var reason = $"frame of {connection.Decoder.RejectedFrameLength} bytes exceeds the limit of {connection.Decoder.MaxFrameLength}";
            NetMetrics.Refused("gate-frame-too-long");
            gate.LogAggregated("gate frame too long", LogLevel.Warning, $"gate: client {connection.Fd} sent a {reason}; closing it");
            gate.Forget(connection);
            gate.SocketDriver.Shutdown(connection.Fd);
            gate.OnError(connection.Fd, reason);
        }
    }

    void Deliver(Connection connection, ReadOnlySpan<byte> payload)
    {
        if (connection.Closing) return; // closed by an earlier frame of this chunk
        try
        {
            OnMessage(connection.Fd, payload.ToArray());
        }
        catch (Exception ex)
        {
            // One line (with the stack) per exception type per 10 s: a handler that fails for every frame must not flood the log.
            this.LogAggregated($"gate: message handler failed with {ex.GetType().FullName}", LogLevel.Error, $"gate: message handler for client {connection.Fd} failed: {ex.GetType().Name}: {ex.Message}", ex);
        }
    }

    sealed class Connection(GateServer gate, int fd, NetPackDecoder decoder)
    {
        public readonly GateServer Gate = gate;
        public readonly int Fd = fd;
        public readonly NetPackDecoder Decoder = decoder;
        public bool Opened;
        public bool Closing;
        public long LastInput;
    }
}
