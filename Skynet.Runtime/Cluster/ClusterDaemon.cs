using System.Globalization;
using Microsoft.Extensions.Logging;
using Skynet.ClusterWire;

namespace Skynet;

/// <summary>
/// skynet's <c>clusterd</c>: the node map, one sender per remote node, the listening sockets and one agent per
/// inbound connection, and the proxies. Unique per node; reached through <see cref="ClusterClient"/>.
/// </summary>
internal sealed class ClusterDaemon(ClusterClient client) : Service
{
    // A node name maps to "host:port", false (offline) or is absent (null here).
    readonly Dictionary<string, object> _map = new(StringComparer.Ordinal);
    readonly Dictionary<string, Address> _senders = new(StringComparer.Ordinal);
    readonly Dictionary<string, Address> _proxies = new(StringComparer.Ordinal);
    readonly Dictionary<string, List<object>> _waiting = new(StringComparer.Ordinal); // node → one wait token per waiting coroutine
    bool _noWaiting;

    protected override ValueTask OnStart(object?[] args)
    {
        Dispatch(PType.Lua, Handle);
        return default;
    }

    ValueTask Handle(Message message) => message.Payload switch
    {
        DaemonSender sender => GetSender(sender.Node),
        DaemonReload reload => Reload(reload),
        DaemonListen listen => Listen(listen),
        DaemonProxy proxy => GetProxy(proxy),
        _ => throw new InvalidOperationException($"clusterd got an unknown command {message.Payload}"),
    };

    async ValueTask GetSender(string node)
    {
        var responder = Response();
        try
        {
            responder.Respond(true, await SenderFor(node));
        }
        catch (CallFailedException ex)
        {
            responder.Fail(ex.Failure, ex.Reason);
        }
    }

    async ValueTask<Address> SenderFor(string node)
    {
        while (!_map.ContainsKey(node))
        {
            if (_noWaiting) throw new CallFailedException(Address.None, CallFailure.NodeDown, $"cluster node [{node}] is absent.");
            if (!_waiting.TryGetValue(node, out var tokens))
            {
                _waiting[node] = tokens = [];
                Log($"Waiting for cluster node [{node}]");
            }
            var token = new object();
            tokens.Add(token);
            await Wait(token);
        }
        if (_senders.TryGetValue(node, out var sender)) return sender;
        var (host, port) = Split(_map[node]);
        sender = await Node.NewService(new ClusterSender(client), node, host, port);
        if (_senders.TryGetValue(node, out var raced))
        {
            Node.Kill(sender);
            return raced;
        }
        _senders[node] = sender;
        return sender;
    }

    static (string? Host, int Port) Split(object address)
    {
        if (address is not string text) return (null, 0); // false: offline
        var endPoint = ClusterEndPoint.Parse(text);
        return (endPoint.Host, endPoint.Port);
    }

    async ValueTask Reload(DaemonReload reload)
    {
        List<(Address Sender, SenderChangeNode Change)> changes = [];
        foreach (var (name, value) in reload.Entries)
        {
            if (name.StartsWith("__", StringComparison.Ordinal))
            {
                var option = name[2..];
                Log($"Config {option} = {Format(value)}");
                if (option == "nowaiting") _noWaiting = IsTrue(value);
                continue;
            }
            var address = Normalize(name, value);
            if (address is string text) ClusterEndPoint.Parse(text); // reject a bad address before anything changes
            if (_map.TryGetValue(name, out var old) && Equals(old, address)) continue;
            _map[name] = address;
            if (_senders.TryGetValue(name, out var sender))
            {
                var (host, port) = Split(address);
                changes.Add((sender, new SenderChangeNode(host, port)));
            }
            if (_waiting.Remove(name, out var tokens))
            {
                Log($"Cluster node [{name}] resolved : {Format(address)}");
                foreach (var token in tokens) Wakeup(token);
            }
        }
        if (_noWaiting)
        {
            foreach (var tokens in _waiting.Values)
                foreach (var token in tokens) Wakeup(token);
            _waiting.Clear();
        }
        foreach (var (sender, change) in changes) await Call(sender, PType.Lua, change);
        Ret(null);
    }

    static object Normalize(string name, object? value) => value switch
    {
        string text when text.Equals("false", StringComparison.OrdinalIgnoreCase) => false,
        string text => text,
        false => false,
        _ => throw new ArgumentException($"Cluster node '{name}' maps to {Format(value)}; a node address is \"host:port\" or false."),
    };

    static bool IsTrue(object? value) => value switch
    {
        bool b => b,
        string s => bool.TryParse(s, out var b) && b,
        _ => false,
    };

    static string Format(object? value) => value switch
    {
        null => "nil",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    ValueTask Listen(DaemonListen listen)
    {
        string host;
        int port;
        if (listen.Node is { } node)
        {
            if (!_map.TryGetValue(node, out var address) || address is not string text)
                throw new InvalidOperationException($"{node} is down: cluster.open needs the node in the cluster map with an address (Reload it first).");
            (host, port) = ClusterEndPoint.Parse(text);
        }
        else
        {
            host = listen.Host ?? "0.0.0.0";
            port = listen.Port;
        }
        var id = Sockets.Listen(host, port);
        var bound = Sockets.LocalEndPoint(id)?.Port ?? port;
        Sockets.Start(id, Accept);
        Log($"Cluster listening on {host}:{bound}");
        Ret(new ClusterEndPoint(host, bound));
        return default;
    }

    void Accept(int fd, string peer)
    {
        Log($"socket accept from {peer}");
        Sockets.Abandon(fd);
        _ = StartAgent(fd, peer);
    }

    async Task StartAgent(int fd, string peer)
    {
        try
        {
            await Node.NewService(new ClusterAgent(client), fd, peer);
        }
        catch (Exception ex)
        {
            Log(LogLevel.Warning, $"cluster agent for {peer} failed to start: {ex.Message}");
            Sockets.CloseFd(fd);
        }
    }

    async ValueTask GetProxy(DaemonProxy request)
    {
        var key = request.Node + "." + request.Target;
        if (!_proxies.TryGetValue(key, out var proxy))
        {
            proxy = await Node.NewService(new ClusterProxy(client), request.Node, request.Target);
            if (_proxies.TryGetValue(key, out var raced))
            {
                Node.Kill(proxy);
                proxy = raced;
            }
            else _proxies[key] = proxy;
        }
        Ret(proxy);
    }
}
