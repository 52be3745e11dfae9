namespace Skynet.Gate;

/// <summary>
/// The stock gate, skynet's <c>service/gate.lua</c>, for the watchdog/agent pattern. It tells its watchdog about
/// every client with <see cref="PType.Lua"/> sends: <c>"socket", "open", fd, address</c>; <c>"socket", "close", fd</c>;
/// <c>"socket", "error", fd, message</c>; <c>"socket", "warning", fd, sizeKiB</c>; and, for a client with no agent,
/// <c>"socket", "data", fd, byte[]</c>. Once forwarded, a client's frames go to its agent as <see cref="PType.Client"/>
/// messages carrying a <see cref="ClientMessage"/>; the agent writes replies to the fd directly.
/// </summary>
/// <remarks>
/// Commands (<see cref="PType.Lua"/> argument lists): <c>"open", GateOptions</c> (replies with the bound port);
/// <c>"close"</c>; <c>"forward", fd[, client[, agent]]</c> sends the client's frames to <c>agent</c> (default: the
/// sender) with <c>client</c> as their source and starts reading; <c>"accept", fd</c> starts reading with frames
/// going to the watchdog; <c>"kick", fd</c> closes the client; <c>"response", fd, byte[]</c> sends one frame (the same
/// reply path as <see cref="WebSocket.WebSocketGate"/>).
/// </remarks>
public class GateService : GateServer
{
    readonly Dictionary<int, Client> _clients = [];
    Address _watchdog;

    sealed class Client
    {
        public Address Agent;
        public Address Source;
    }

    /// <inheritdoc/>
    protected override ValueTask<object?> OnOpen(Address source, GateOptions options)
    {
        _watchdog = options.Watchdog ?? source;
        return base.OnOpen(source, options);
    }

    /// <inheritdoc/>
    protected override void OnConnect(int fd, string address)
    {
        _clients[fd] = new Client();
        Send(_watchdog, "socket", "open", fd, address);
    }

    /// <inheritdoc/>
    protected override void OnMessage(int fd, byte[] payload)
    {
        if (_clients.TryGetValue(fd, out var client) && !client.Agent.IsNone)
            Redirect(client.Agent, client.Source, PType.Client, 0, new ClientMessage(fd, payload, Gate: Self));
        else
            Send(_watchdog, "socket", "data", fd, payload);
    }

    /// <inheritdoc/>
    protected override void OnDisconnect(int fd)
    {
        _clients.Remove(fd);
        Send(_watchdog, "socket", "close", fd);
    }

    /// <inheritdoc/>
    protected override void OnError(int fd, string message)
    {
        _clients.Remove(fd);
        Send(_watchdog, "socket", "error", fd, message);
    }

    /// <inheritdoc/>
    protected override void OnWarning(int fd, int sizeKiB) => Send(_watchdog, "socket", "warning", fd, sizeKiB);

    /// <inheritdoc/>
    protected override ValueTask<object?> OnCommand(string command, Address source, object?[] args)
    {
        switch (command)
        {
            case "forward" or "accept" when !_clients.ContainsKey(FdOf(args)):
                // Gone while the watchdog prepared its agent: tell it again, so it can end that agent.
                Send(_watchdog, "socket", "close", FdOf(args));
                throw new InvalidOperationException($"The gate {Self} has no client {FdOf(args)}; it disconnected already (the watchdog was told again).");
            case "forward":
            {
                var client = Find(args);
                client.Source = args.Length > 1 && args[1] is Address from ? from : Address.None;
                client.Agent = args.Length > 2 && args[2] is Address agent ? agent : source;
                OpenClient(FdOf(args));
                return new((object?)null);
            }
            case "accept":
            {
                var client = Find(args);
                client.Agent = Address.None;
                client.Source = Address.None;
                OpenClient(FdOf(args));
                return new((object?)null);
            }
            case "kick":
                CloseClient(FdOf(args));
                return new((object?)null);
            case "response":
                return new((object?)(args.Length > 1 && args[1] is byte[] reply
                    ? Sockets.Write(FdOf(args), NetPack.Pack(reply))
                    : throw new ArgumentException("'response' takes the client's fd and the reply (a byte[]).")));
            default:
                return base.OnCommand(command, source, args);
        }
    }

    Client Find(object?[] args)
    {
        var fd = FdOf(args);
        return _clients.TryGetValue(fd, out var client)
            ? client
            : throw new InvalidOperationException($"The gate {Self} has no client {fd}; it may have disconnected already.");
    }

    static int FdOf(object?[] args) => args.Length > 0 && args[0] is int fd
        ? fd
        : throw new ArgumentException("The command needs the client's fd (an int) as its first argument.");
}
