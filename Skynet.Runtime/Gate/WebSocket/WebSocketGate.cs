using System.Buffers;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Logging;
using Skynet.Net;

namespace Skynet.Gate.WebSocket;

/// <summary>
/// A WebSocket gate (RFC 6455, <c>ws</c> and <c>wss</c>) with the watchdog/agent contract of <see cref="GateService"/>.
/// It runs alone (send it <c>open</c>) or as one slave of a <see cref="WebSocketMasterGate"/>, which accepts and
/// hands it connections.
/// </summary>
/// <remarks>
/// <para>The watchdog hears <c>"socket", "open", fd, address</c> once a client's upgrade handshake succeeded, then
/// <c>"socket", "close", fd</c>, <c>"socket", "error", fd, reason</c>, <c>"socket", "warning", fd, kib</c> and, for
/// an accepted client without agent, <c>"socket", "data", fd, byte[]</c>. A forwarded client's messages reach its
/// agent as <see cref="PType.Client"/> messages carrying a <see cref="ClientMessage"/> (text or binary, fragments
/// joined). Agents reply through the gate: <c>Send(message.Gate, "response", fd, byte[] or string)</c> sends a binary
/// or a text message. TLS stays inside the gate, so agents never write the connection themselves.</para>
/// <para>Commands (<see cref="PType.Lua"/>): <c>"open", WebSocketGateOptions</c> (replies with the bound port);
/// <c>"close"</c>; <c>"forward", fd[, client[, agent]]</c>; <c>"accept", fd</c>; <c>"kick", fd</c> (close 1000, then
/// the socket); <c>"response", fd, payload</c>; <c>"request", fd</c> (replies with the client's
/// <see cref="WebSocketUpgradeRequest"/>: target, headers, subprotocols).</para>
/// <para>The gate answers pings, replies to a close frame and closes, and fails a connection that breaks the protocol
/// with the close code RFC 6455 prescribes. Whatever a client sends affects only its own connection.</para>
/// </remarks>
public class WebSocketGate : Service
{
    readonly Dictionary<int, Connection> _connections = [];
    WebSocketGateOptions? _options;
    X509Certificate2? _certificate;
    Address _watchdog;
    Address _master;
    int _listenId;

    /// <summary>Connections now, handshakes included.</summary>
    protected int ClientCount => _connections.Count;

    /// <summary>Registers the gate's dispatch functions.</summary>
    protected sealed override ValueTask OnStart(object?[] args)
    {
        SocketDriver.Events = HandleSocket;
        Dispatch(PType.Lua, HandleCommand);
        return default;
    }

    /// <summary>Closes every connection and releases the certificate.</summary>
    protected override ValueTask OnExit()
    {
        foreach (var connection in _connections.Values) SocketDriver.Shutdown(connection.Fd);
        _connections.Clear();
        if (_master.IsNone) _certificate?.Dispose(); // a slave's certificate belongs to its master
        return default;
    }

    ValueTask HandleCommand(Message message)
    {
        var args = message.Args;
        var command = args.Length > 0 ? args[0] as string : null;
        if (command is null) throw new ArgumentException($"A gate command is an argument list that starts with the command name; got {message.Payload ?? "null"} from {message.Source}.");
        object? result = null;
        switch (command)
        {
            case "response":
                result = Response(FdOf(args), args.Length > 2 ? args[2] : null);
                break;
            case "forward" or "accept" when !_connections.ContainsKey(FdOf(args)):
                // The client went away while the watchdog was preparing its agent: the watchdog may have handled the
                // close before it knew the agent, so it hears the close again and can end that agent.
                Send(_watchdog, "socket", "close", FdOf(args));
                if (message.IsRequest) throw new InvalidOperationException($"The gate {Self} has no client {FdOf(args)}; it disconnected already (the watchdog was told again).");
                return default;
            case "forward":
            {
                var connection = Find(args);
                connection.Client = args.Length > 2 && args[2] is Address client ? client : Address.None;
                connection.Agent = args.Length > 3 && args[3] is Address agent ? agent : message.Source;
                OpenClient(connection);
                break;
            }
            case "accept":
            {
                var connection = Find(args);
                connection.Client = Address.None;
                connection.Agent = Address.None;
                OpenClient(connection);
                break;
            }
            case "kick":
                if (_connections.TryGetValue(FdOf(args), out var kicked)) Close(kicked, WebSocketCloseStatus.NormalClosure, null);
                break;
            case "request":
                result = Find(args).Request;
                break;
            case "connection": // from the master: an accepted socket is ours now
                Adopt(FdOf(args), args.Length > 2 ? args[2] as string ?? "" : "");
                break;
            case "attach": // from the master: become its slave
                Attach(message.Source, args);
                break;
            case "open":
                result = Open(message.Source, args.Length > 1 ? args[1] as WebSocketGateOptions : null);
                break;
            case "close":
                if (_listenId != 0) SocketDriver.Close(_listenId);
                _listenId = 0;
                break;
            default:
                throw new InvalidOperationException($"The WebSocket gate {Self} has no command '{command}'.");
        }
        if (message.IsRequest) Ret(result);
        return default;
    }

    object? Open(Address source, WebSocketGateOptions? options)
    {
        ArgumentNullException.ThrowIfNull(options, "options (the second argument of 'open')");
        if (_listenId != 0) throw new InvalidOperationException($"The gate {Self} is already listening; send 'close' first.");
        if (!_master.IsNone) throw new InvalidOperationException($"The gate {Self} is a slave of {_master}; open the master instead.");
        options.Validate();
        _ = new WebSocketFrameDecoder(options.MaxMessageLength); // validates the limit before anything opens
        _certificate ??= options.LoadCertificate();
        var id = Sockets.Listen(options.Host, options.Port, options.Backlog);
        options.Port = Sockets.LocalEndPoint(id)?.Port ?? options.Port;
        _options = options;
        _watchdog = options.Watchdog ?? source;
        _listenId = id;
        SocketDriver.Start(id);
        Log($"Listen on {(options.IsSecure ? "wss" : "ws")}://{options.Host}:{options.Port}");
        if (options.IdleTimeout > TimeSpan.Zero) ScheduleIdleSweep(options);
        return options.Port;
    }

    void Attach(Address master, object?[] args)
    {
        if (args.Length < 2 || args[1] is not WebSocketGateOptions options)
            throw new ArgumentException("'attach' takes the master's WebSocketGateOptions (and its certificate).");
        _master = master;
        _options = options;
        _watchdog = options.Watchdog ?? master;
        if (options.IdleTimeout > TimeSpan.Zero) ScheduleIdleSweep(options);
        _certificate = args.Length > 2 ? args[2] as X509Certificate2 : null;
    }

    bool HandleSocket(SocketMessage message)
    {
        if (message.Id == _listenId && _listenId != 0)
        {
            switch (message.Type)
            {
                case SocketEventType.Accept:
                    if (GateConnections.Admit(this, "websocket gate", message.Ud, message.Text ?? "", _connections.Count, _options!.MaxClient))
                        Adopt(message.Ud, message.Text ?? "");
                    break;
                case SocketEventType.Close:
                case SocketEventType.Error:
                    _listenId = 0;
                    if (message.Type == SocketEventType.Error) Log(LogLevel.Error, $"websocket gate accept error: {message.Text}");
                    break;
            }
            return true;
        }
        if (!_connections.TryGetValue(message.Id, out var connection)) return false;
        switch (message.Type)
        {
            case SocketEventType.Data:
                connection.LastInput = Node.Now;
                Feed(connection, message.Data!);
                break;
            case SocketEventType.Close:
                Forget(connection, "close", null);
                break;
            case SocketEventType.Error:
                Forget(connection, "error", message.Text ?? "error");
                break;
            case SocketEventType.Warning:
                if (connection.Announced) Send(_watchdog, "socket", "warning", connection.Fd, message.Ud);
                break;
        }
        return true;
    }

    void Adopt(int fd, string address)
    {
        var options = _options ?? throw new InvalidOperationException($"The gate {Self} got a connection before 'open' or 'attach'.");
        var connection = new Connection(fd, address, new WebSocketFrameDecoder(options.MaxMessageLength)) { LastInput = Node.Now };
        _connections[fd] = connection;
        if (options.MaxWriteBuffer > 0) SocketDriver.SetWriteLimit(fd, options.MaxWriteBuffer);
        if (options.NoDelay) SocketDriver.NoDelay(fd);
        var started = _certificate is { } certificate
            ? SocketDriver.StartTls(fd, certificate, options.HandshakeTimeout)
            : SocketDriver.Start(fd);
        if (!started)
        {
            Forget(connection, null, null); // gone before we could start it
            return;
        }
        SetTimeout(options.HandshakeTimeout, () =>
        {
            if (connection.State == ConnectionState.Handshake && _connections.TryGetValue(fd, out var current) && current == connection)
            {
                NetMetrics.Refused("websocket-handshake-timeout");
                this.LogAggregated("websocket handshake timeout", LogLevel.Warning, $"websocket gate: client {fd} ({address}) did not complete its handshake within {options.HandshakeTimeout.TotalSeconds} s; dropping it");
                Forget(connection, null, null);
                SocketDriver.Shutdown(fd);
            }
        });
    }

    /// <summary>Closes announced clients that sent nothing for <see cref="WebSocketGateOptions.IdleTimeout"/> (the handshake has its own timeout).</summary>
    void ScheduleIdleSweep(WebSocketGateOptions options) =>
        GateConnections.SweepIdle(this, "websocket gate", options.IdleTimeout, () => _options == options, () => _connections.Values,
            static c => c.State is ConnectionState.Waiting or ConnectionState.Open ? c.LastInput : null,
            connection =>
            {
                var fd = connection.Fd;
                Write(fd, WebSocketOpcode.Close, CloseBody(WebSocketCloseStatus.PolicyViolation, "idle"));
                Forget(connection, "error", $"idle for {options.IdleTimeout.TotalSeconds} s");
                SocketDriver.Close(fd);
            });

    /// <summary>Forgets a connection; tells the watchdog (when it was announced) and the master.</summary>
    void Forget(Connection connection, string? notice, string? reason)
    {
        if (!_connections.Remove(connection.Fd)) return;
        var announced = connection.Announced;
        connection.State = ConnectionState.Closed;
        connection.Dispose();
        if (announced && notice is not null)
        {
            if (reason is null) Send(_watchdog, "socket", notice, connection.Fd);
            else Send(_watchdog, "socket", notice, connection.Fd, reason);
        }
        if (!_master.IsNone) Send(_master, "release", connection.Fd);
    }

    void OpenClient(Connection connection)
    {
        if (connection.State != ConnectionState.Waiting) return;
        connection.State = ConnectionState.Open;
        SocketDriver.Start(connection.Fd); // reading was paused since the handshake
        if (connection.PendingLength > 0) Feed(connection, []);
    }

    void Feed(Connection connection, byte[] chunk)
    {
        switch (connection.State)
        {
            case ConnectionState.Waiting:
                connection.Append(chunk); // read before the pause took effect: kept for 'forward'/'accept'
                return;
            case ConnectionState.Handshake:
            case ConnectionState.Open:
                break;
            default:
                return; // closing: input is ignored
        }
        ReadOnlySequence<byte> buffer;
        if (connection.PendingLength == 0)
        {
            buffer = new ReadOnlySequence<byte>(chunk);
        }
        else
        {
            connection.Append(chunk);
            buffer = new ReadOnlySequence<byte>(connection.Pending!, 0, connection.PendingLength);
        }
        if (connection.State == ConnectionState.Handshake && !Handshake(connection, ref buffer)) return;
        if (connection.State == ConnectionState.Open) Decode(connection, ref buffer);
        if (connection.State is ConnectionState.Open or ConnectionState.Waiting or ConnectionState.Handshake)
            connection.Keep(buffer.FirstSpan);
    }

    /// <summary>Parses the upgrade request; false when the connection needs more bytes or was refused.</summary>
    bool Handshake(Connection connection, ref ReadOnlySequence<byte> buffer)
    {
        if (!WebSocketHandshake.TryParseRequest(ref buffer, out var request, out var error))
        {
            if (error is null)
            {
                connection.Keep(buffer.FirstSpan);
                return false;
            }
            NetMetrics.Refused("websocket-bad-handshake");
            this.LogAggregated("websocket handshake refused", LogLevel.Warning, $"websocket gate: client {connection.Fd} ({connection.Address}) refused: {error}");
            SocketDriver.Send(connection.Fd, Encoding.ASCII.GetBytes(error.ResponseText));
            Forget(connection, null, null);
            SocketDriver.Close(connection.Fd);
            return false;
        }
        connection.Request = request;
        SocketDriver.Send(connection.Fd, Encoding.ASCII.GetBytes(WebSocketHandshake.BuildAcceptResponse(request)));
        // Nothing more is read until the watchdog forwards or accepts the client; bytes already here wait in Pending.
        SocketDriver.Pause(connection.Fd);
        connection.State = ConnectionState.Waiting;
        connection.Announced = true;
        Send(_watchdog, "socket", "open", connection.Fd, connection.Address);
        return true;
    }

    void Decode(Connection connection, ref ReadOnlySequence<byte> buffer)
    {
        var decoder = connection.Decoder;
        while (connection.State == ConnectionState.Open)
        {
            switch (decoder.TryReadMessage(ref buffer, out var message, out var error))
            {
                case WebSocketDecodeStatus.NeedMoreData:
                    return;
                case WebSocketDecodeStatus.Error:
                    this.LogAggregated("websocket protocol error", LogLevel.Warning, $"websocket gate: client {connection.Fd} ({connection.Address}) broke the protocol: {(int)error.CloseStatus} {error.Reason}; closing it");
                    Write(connection.Fd, WebSocketOpcode.Close, CloseBody(error.CloseStatus, error.Reason));
                    var fd = connection.Fd;
                    Forget(connection, "error", $"{(int)error.CloseStatus} {error.Reason}");
                    SocketDriver.Close(fd); // after the close frame is sent (forced if the client does not read)
                    return;
            }
            switch (message.Kind)
            {
                case WebSocketMessageKind.Text:
                case WebSocketMessageKind.Binary:
                    Deliver(connection, message.Payload.ToArray(), message.Kind == WebSocketMessageKind.Text);
                    break;
                case WebSocketMessageKind.Ping:
                    Write(connection.Fd, WebSocketOpcode.Pong, message.Payload.Span);
                    break;
                case WebSocketMessageKind.Pong:
                    break;
                case WebSocketMessageKind.Close:
                    // Echo the status (RFC 6455 5.5.1), then close the TCP connection: the server closes first.
                    Close(connection, message.CloseStatus, null);
                    return;
            }
        }
    }

    void Deliver(Connection connection, byte[] payload, bool isText)
    {
        if (!connection.Agent.IsNone)
            Redirect(connection.Agent, connection.Client, PType.Client, 0, new ClientMessage(connection.Fd, payload, isText, Self));
        else
            Send(_watchdog, "socket", "data", connection.Fd, payload);
    }

    /// <summary>Sends a close frame (empty when <paramref name="status"/> is null) and closes the socket once it is out.</summary>
    void Close(Connection connection, WebSocketCloseStatus? status, string? reason)
    {
        if (connection.State is ConnectionState.Closing or ConnectionState.Closed) return;
        connection.State = ConnectionState.Closing;
        if (connection.Announced) Write(connection.Fd, WebSocketOpcode.Close, status is { } code ? CloseBody(code, reason) : []);
        SocketDriver.Close(connection.Fd); // once the close frame is out; the watchdog hears "close" then
    }

    bool Response(int fd, object? payload)
    {
        if (!_connections.TryGetValue(fd, out var connection) || connection.State is not (ConnectionState.Open or ConnectionState.Waiting)) return false;
        return payload switch
        {
            byte[] bytes => Write(fd, WebSocketOpcode.Binary, bytes),
            string text => WriteText(fd, text),
            ReadOnlyMemory<byte> memory => Write(fd, WebSocketOpcode.Binary, memory.Span),
            ArraySegment<byte> segment => Write(fd, WebSocketOpcode.Binary, segment),
            _ => throw new ArgumentException($"A response is a byte[] (binary message) or a string (text message), not {payload?.GetType().Name ?? "null"}."),
        };
    }

    bool Write(int fd, WebSocketOpcode opcode, ReadOnlySpan<byte> payload)
    {
        var headerLength = WebSocketFrameHeader.GetLength(payload.Length, masked: false);
        var frame = GC.AllocateUninitializedArray<byte>(headerLength + payload.Length);
        WebSocketFrameHeader.Write(frame, opcode, fin: true, payload.Length, ReadOnlySpan<byte>.Empty);
        payload.CopyTo(frame.AsSpan(headerLength));
        return SocketDriver.Send(fd, frame);
    }

    bool WriteText(int fd, string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        var headerLength = WebSocketFrameHeader.GetLength(length, masked: false);
        var frame = GC.AllocateUninitializedArray<byte>(headerLength + length);
        WebSocketFrameHeader.Write(frame, WebSocketOpcode.Text, fin: true, length, ReadOnlySpan<byte>.Empty);
        Encoding.UTF8.GetBytes(text, frame.AsSpan(headerLength));
        return SocketDriver.Send(fd, frame);
    }

    static byte[] CloseBody(WebSocketCloseStatus status, string? reason)
    {
        var reasonLength = reason is null ? 0 : Encoding.UTF8.GetByteCount(reason);
        var body = new byte[2 + reasonLength];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(body, (ushort)status);
        if (reason is not null) Encoding.UTF8.GetBytes(reason, body.AsSpan(2));
        return body;
    }

    Connection Find(object?[] args)
    {
        var fd = FdOf(args);
        return _connections.TryGetValue(fd, out var connection)
            ? connection
            : throw new InvalidOperationException($"The gate {Self} has no client {fd}; it may have disconnected already.");
    }

    static int FdOf(object?[] args) => args.Length > 1 && args[1] is int fd
        ? fd
        : throw new ArgumentException("The command needs the client's fd (an int) as its first argument.");

    enum ConnectionState : byte { Handshake, Waiting, Open, Closing, Closed }

    sealed class Connection(int fd, string address, WebSocketFrameDecoder decoder) : IDisposable
    {
        public readonly int Fd = fd;
        public readonly string Address = address;
        public readonly WebSocketFrameDecoder Decoder = decoder;
        public ConnectionState State;
        public long LastInput;
        public bool Announced;
        public Address Agent;
        public Address Client;
        public WebSocketUpgradeRequest? Request;

        /// <summary>Unconsumed input: a partial request or frame; rented, returned when empty.</summary>
        public byte[]? Pending;
        public int PendingLength;

        public void Append(ReadOnlySpan<byte> data)
        {
            if (data.IsEmpty) return;
            Reserve(PendingLength + data.Length);
            data.CopyTo(Pending.AsSpan(PendingLength));
            PendingLength += data.Length;
        }

        /// <summary>Makes <paramref name="rest"/> (a tail of the chunk just fed or of <see cref="Pending"/>) the pending input.</summary>
        public void Keep(ReadOnlySpan<byte> rest)
        {
            if (rest.IsEmpty)
            {
                ReturnPending();
                return;
            }
            if (Pending is null || rest.Length > Pending.Length) Reserve(rest.Length);
            rest.CopyTo(Pending); // memmove: safe when rest lies inside Pending
            PendingLength = rest.Length;
        }

        void Reserve(int size)
        {
            if (Pending is not null && Pending.Length >= size) return;
            var grown = ArrayPool<byte>.Shared.Rent(Math.Max(size, Math.Max(4096, (Pending?.Length ?? 0) * 2)));
            if (Pending is not null)
            {
                Pending.AsSpan(0, PendingLength).CopyTo(grown);
                ArrayPool<byte>.Shared.Return(Pending);
            }
            Pending = grown;
        }

        void ReturnPending()
        {
            PendingLength = 0;
            if (Pending is null) return;
            ArrayPool<byte>.Shared.Return(Pending);
            Pending = null;
        }

        public void Dispose()
        {
            ReturnPending();
            Decoder.Dispose();
        }
    }
}
