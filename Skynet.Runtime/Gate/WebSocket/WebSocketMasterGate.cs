using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Skynet.Net;

namespace Skynet.Gate.WebSocket;

/// <summary>
/// The master of a WebSocket gate group, as skynet-demo's ws_gate: it listens and accepts, and hands each new
/// connection to one of <see cref="WebSocketGateOptions.Slaves"/> slave <see cref="WebSocketGate"/> services in
/// turn, which run the handshake, the framing and TLS. The watchdog/agent contract is the one of
/// <see cref="WebSocketGate"/>; the watchdog may send every command to the master, which passes it to the slave
/// that owns the fd.
/// </summary>
/// <remarks>
/// <para>Notices to the watchdog come from the slaves (a notice's source is the slave owning that fd). An agent's
/// <see cref="ClientMessage.Gate"/> is its client's slave: send <c>"response"</c> there to skip a hop.</para>
/// <para>Commands (<see cref="PType.Lua"/>): <c>"open", WebSocketGateOptions</c> starts the slaves and listens
/// (replies with the bound port); <c>"close"</c> stops listening; <c>"slaves"</c> replies with the slaves'
/// addresses; <c>"forward"</c>, <c>"accept"</c>, <c>"kick"</c>, <c>"response"</c> and <c>"request"</c> go to the
/// owning slave: a send is redirected with its source kept; a call is passed on and the slave's reply returned. The master counts
/// connections against <see cref="WebSocketGateOptions.MaxClient"/>. When the master exits, its slaves exit too.</para>
/// </remarks>
public class WebSocketMasterGate : Service
{
    readonly Dictionary<int, Address> _owners = [];
    Address[] _slaves = [];
    WebSocketGateOptions? _options;
    X509Certificate2? _certificate;
    int _listenId, _next;

    /// <summary>Registers the gate's dispatch functions.</summary>
    protected sealed override ValueTask OnStart(object?[] args)
    {
        SocketDriver.Events = HandleSocket;
        Dispatch(PType.Lua, HandleCommand);
        return default;
    }

    /// <summary>Stops the slaves (their connections close) and releases the certificate.</summary>
    protected override ValueTask OnExit()
    {
        foreach (var slave in _slaves) Kill(slave);
        _certificate?.Dispose();
        return default;
    }

    async ValueTask HandleCommand(Message message)
    {
        var args = message.Args;
        var command = args.Length > 0 ? args[0] as string : null;
        if (command is null) throw new ArgumentException($"A gate command is an argument list that starts with the command name; got {message.Payload ?? "null"} from {message.Source}.");
        object? result = null;
        switch (command)
        {
            case "forward" or "accept" or "kick" or "response" or "request":
            {
                var fd = args.Length > 1 && args[1] is int id ? id : throw new ArgumentException($"'{command}' needs the client's fd (an int) as its first argument.");
                if (_owners.TryGetValue(fd, out var slave))
                {
                    if (!message.IsRequest)
                    {
                        Redirect(slave, message.Source, PType.Lua, 0, message.Payload); // the slave sees the real sender
                        return;
                    }
                    if (command == "forward" && (args.Length < 4 || args[3] is not Address))
                    {
                        var copy = new object?[4]; // the caller's array is left alone
                        Array.Copy(args, copy, Math.Min(args.Length, 3));
                        copy[3] = message.Source; // the agent defaults to the caller, not the master
                        args = copy;
                    }
                    result = await Call(slave, PType.Lua, args);
                    break;
                }
                if (command is "forward" or "accept")
                {
                    // Gone while the watchdog prepared its agent: tell it again, so it can end that agent.
                    if (_options?.Watchdog is { } watchdog) Send(watchdog, "socket", "close", fd);
                    if (!message.IsRequest) return;
                }
                if (command is "forward" or "accept" or "request")
                    throw new InvalidOperationException($"The gate {Self} has no client {fd}; it may have disconnected already.");
                result = false;
                break;
            }
            case "release": // from a slave: its connection is gone
                if (args.Length > 1 && args[1] is int released) _owners.Remove(released);
                break;
            case "open":
                result = await Open(message.Source, args.Length > 1 ? args[1] as WebSocketGateOptions : null);
                break;
            case "close":
                if (_listenId != 0) SocketDriver.Close(_listenId);
                _listenId = 0;
                break;
            case "slaves":
                result = _slaves.ToArray();
                break;
            default:
                throw new InvalidOperationException($"The WebSocket master gate {Self} has no command '{command}'.");
        }
        if (message.IsRequest) Ret(result);
    }

    async ValueTask<object?> Open(Address source, WebSocketGateOptions? options)
    {
        ArgumentNullException.ThrowIfNull(options, "options (the second argument of 'open')");
        if (_listenId != 0) throw new InvalidOperationException($"The gate {Self} is already listening; send 'close' first.");
        options.Validate();
        _ = new WebSocketFrameDecoder(options.MaxMessageLength); // validates the limit before anything opens
        options.Watchdog ??= source;
        _options = options;
        _certificate ??= options.LoadCertificate();
        if (_slaves.Length == 0)
        {
            var slaves = new Address[options.Slaves];
            for (var i = 0; i < slaves.Length; i++)
            {
                slaves[i] = await Node.NewService(new WebSocketGate());
                await Call(slaves[i], "attach", options, _certificate);
            }
            _slaves = slaves;
        }
        var id = Sockets.Listen(options.Host, options.Port, options.Backlog);
        options.Port = Sockets.LocalEndPoint(id)?.Port ?? options.Port;
        _listenId = id;
        SocketDriver.Start(id);
        Log($"Listen on {(options.IsSecure ? "wss" : "ws")}://{options.Host}:{options.Port} with {_slaves.Length} slave gates");
        return options.Port;
    }

    bool HandleSocket(SocketMessage message)
    {
        if (message.Id != _listenId || _listenId == 0) return false;
        switch (message.Type)
        {
            case SocketEventType.Accept:
                var fd = message.Ud;
                if (!GateConnections.Admit(this, "websocket gate", fd, message.Text ?? "", _owners.Count, _options!.MaxClient)) break;
                Hand(fd, message.Text ?? "");
                break;
            case SocketEventType.Close:
            case SocketEventType.Error:
                _listenId = 0;
                if (message.Type == SocketEventType.Error) Log(LogLevel.Error, $"websocket master gate accept error: {message.Text}");
                break;
        }
        return true;
    }

    /// <summary>Gives an accepted socket to the next live slave; a dead slave is skipped, so the socket never waits unowned.</summary>
    void Hand(int fd, string address)
    {
        for (var tries = 0; tries < _slaves.Length; tries++)
        {
            var slave = _slaves[_next];
            _next = (_next + 1) % _slaves.Length;
            if (!Send(slave, "connection", fd, address)) continue; // a killed slave: try the next one
            _owners[fd] = slave;
            return;
        }
        Log(LogLevel.Error, $"websocket master gate: no live slave for client {fd} ({address}); closing it");
        SocketDriver.Shutdown(fd);
    }
}
