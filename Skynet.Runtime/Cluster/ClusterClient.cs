using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Skynet.ClusterWire;
using Skynet.Codecs;

namespace Skynet;

/// <summary>
/// One node's cluster module (skynet's <c>skynet.cluster</c> plus <c>clusterd</c>): reach it with
/// <see cref="Cluster.For"/>, or use the static <see cref="Cluster"/> members inside a service. Calls made inside a
/// service suspend only the calling coroutine, as in skynet; calls from outside the runtime work too.
/// </summary>
public sealed partial class ClusterClient
{
    static readonly ConditionalWeakTable<SkynetNode, ClusterClient> s_clients = new();
    internal const string DaemonName = "skynet.clusterd";

    readonly SkynetNode _node;
    readonly object _gate = new();
    readonly ConcurrentDictionary<string, Address> _senders = new(StringComparer.Ordinal);
    readonly Dictionary<string, List<SenderRequest>> _queuedSends = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, Address> _names = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, Address> _snaxNames = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, Address> _snaxProxies = new(StringComparer.Ordinal);
    Task<Address>? _daemon;
    const string SnaxDirectoryName = "skynet.snaxdirectory";

    ClusterClient(SkynetNode node) => _node = node;

    internal static ClusterClient Get(SkynetNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return s_clients.GetValue(node, static n => new ClusterClient(n));
    }

    /// <summary>The node this module belongs to.</summary>
    public SkynetNode Node => _node;

    /// <summary>Limits and the call timeout; change them before the first cluster call.</summary>
    public ClusterOptions Options { get; } = new();

    // ---- calls ---------------------------------------------------------------------------------------------

    /// <summary>
    /// Calls <paramref name="address"/> on <paramref name="node"/> with a "lua" argument list (skynet's
    /// <c>cluster.call</c>). The reply is one value, an <c>object?[]</c> for several, or null for none.
    /// </summary>
    /// <param name="node">The node name from the cluster map.</param>
    /// <param name="address">A numeric handle (<see cref="Address"/>, a number), <c>@name</c> or <c>.name</c>.</param>
    /// <param name="args">The arguments, packed with <c>skynet.pack</c>.</param>
    /// <exception cref="CallFailedException">The node is down or offline, the remote service failed or does not exist, or <see cref="ClusterOptions.CallTimeout"/> passed.</exception>
    public async ValueTask<object?> Call(string node, object address, params object?[] args)
    {
        var target = ClusterTarget.From(address);
        var reply = await CallPacked(node, target, LuaValues.PackArgs(args)).ConfigureAwait(Service.Current is null ? false : true);
        return LuaValues.UnpackReply(reply);
    }

    /// <summary>Sends a one-way "lua" message to <paramref name="address"/> on <paramref name="node"/> (skynet's <c>cluster.send</c>).</summary>
    /// <remarks>Messages to one node keep their order. A message to a node that is offline or down is dropped with a log line.</remarks>
    public void Send(string node, object address, params object?[] args) =>
        SendPacked(node, new SenderRequest(ClusterTarget.From(address), LuaValues.PackArgs(args), Push: true));

    /// <summary>
    /// Asks <paramref name="node"/> for the handle registered as <paramref name="name"/> with <see cref="Register"/>
    /// (skynet's <c>cluster.query</c>).
    /// </summary>
    /// <exception cref="CallFailedException">The name is not registered there ("name not found"), or the node is down.</exception>
    public async ValueTask<Address> Query(string node, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var reply = await CallPacked(node, ClusterTarget.FromHandle(0), SkynetPack.Pack(name)).ConfigureAwait(Service.Current is null ? false : true);
        return LuaValues.UnpackReply(reply) is long handle ? new Address((uint)handle) : throw new CallFailedException(Address.None, CallFailure.Refused, $"node '{node}' answered the query for '{name}' with something that is not a handle");
    }

    internal async ValueTask<byte[]> CallPacked(string node, ClusterTarget target, byte[] payload)
    {
        var sender = await Sender(node).ConfigureAwait(Service.Current is null ? false : true);
        var request = new SenderRequest(target, payload, Push: false);
        Diagnostics.ClusterTracing.Capture(request);
        var reply = Service.Current is { } current && current.Node == _node
            ? await current.Call(sender, PType.Lua, request, Options.CallTimeout)
            : await _node.Call(sender, PType.Lua, request, Options.CallTimeout).ConfigureAwait(false);
        return (byte[])reply!;
    }

    internal void SendPacked(string node, SenderRequest request)
    {
        ArgumentException.ThrowIfNullOrEmpty(node);
        if (_senders.TryGetValue(node, out var sender))
        {
            Post(sender, request);
            return;
        }
        lock (_gate)
        {
            // Until the sender is known, queue in order; the first queued message starts the lookup.
            if (_senders.TryGetValue(node, out sender)) { Post(sender, request); return; }
            if (_queuedSends.TryGetValue(node, out var queue)) { queue.Add(request); return; }
            _queuedSends[node] = [request];
        }
        _ = FlushWhenKnown(node);
    }

    async Task FlushWhenKnown(string node)
    {
        try
        {
            await Sender(node).ConfigureAwait(false); // publishing the sender flushes the queue
        }
        catch (Exception ex)
        {
            List<SenderRequest>? dropped;
            lock (_gate) _queuedSends.Remove(node, out dropped);
            if (dropped is not null)
                _node.Logger.LogWarning("cluster.send to node '{Node}' dropped {Count} message(s): {Reason}", node, dropped.Count, ex.Message);
        }
    }

    /// <summary>
    /// Makes the sender known, after posting what was queued for it, all under the lock: a send that sees the
    /// sender can never overtake one that was queued before it.
    /// </summary>
    void Publish(string node, Address sender)
    {
        lock (_gate)
        {
            if (_senders.ContainsKey(node)) return;
            if (_queuedSends.Remove(node, out var queue))
                foreach (var request in queue) Post(sender, request);
            _senders[node] = sender;
        }
    }

    void Post(Address sender, SenderRequest request)
    {
        if (Service.Current is { } current && current.Node == _node) current.Send(sender, PType.Lua, request);
        else _node.Send(sender, PType.Lua, request);
    }

    internal async ValueTask<Address> Sender(string node)
    {
        ArgumentException.ThrowIfNullOrEmpty(node);
        if (_senders.TryGetValue(node, out var sender)) return sender;
        var found = (Address)(await Ask(new DaemonSender(node)))!;
        Publish(node, found);
        return found;
    }

    // ---- configuration and serving -------------------------------------------------------------------------

    /// <summary>
    /// Sets node addresses (skynet's <c>cluster.reload</c>): each value is <c>"host:port"</c>, or <c>false</c> for a
    /// node that is offline (calls to it fail at once). Keys starting with <c>__</c> are options:
    /// <c>__nowaiting = true</c> makes calls to an unknown node fail at once instead of waiting for it to be added.
    /// </summary>
    public async Task Reload(IEnumerable<KeyValuePair<string, object?>> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        await Ask(new DaemonReload([.. map])).ConfigureAwait(false);
    }

    /// <summary>
    /// Listens for cluster connections (skynet's <c>cluster.open</c>) on the address <paramref name="nodeName"/> maps
    /// to in the cluster map.
    /// </summary>
    /// <exception cref="InvalidOperationException">The node is not in the map, or is offline.</exception>
    public async Task<ClusterEndPoint> Open(string nodeName)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeName);
        return (ClusterEndPoint)(await Ask(new DaemonListen(null, 0, nodeName)))!;
    }

    /// <summary>Listens for cluster connections on <paramref name="port"/> (0 picks one) of <paramref name="host"/> (default every interface).</summary>
    public async Task<ClusterEndPoint> Open(int port, string host = "0.0.0.0") =>
        (ClusterEndPoint)(await Ask(new DaemonListen(host, port, null)))!;

    /// <summary>
    /// A local address that forwards "lua" messages to <paramref name="address"/> on <paramref name="node"/>
    /// (skynet's <c>cluster.proxy</c>): <c>Send</c> becomes a push, <c>Call</c> a cluster call. One proxy per target.
    /// </summary>
    public async Task<Address> Proxy(string node, object address) =>
        (Address)(await Ask(new DaemonProxy(node, ClusterTarget.From(address))))!;

    /// <summary>A proxy for <c>"node@name"</c> or <c>"node.name"</c>, as <c>cluster.proxy "db@sdb"</c>.</summary>
    /// <exception cref="ArgumentException">No node part, or no <c>@</c>/<c>.</c> name part.</exception>
    public Task<Address> Proxy(string nodeAndName)
    {
        ArgumentNullException.ThrowIfNull(nodeAndName);
        var at = nodeAndName.AsSpan().IndexOfAny('@', '.');
        if (at <= 0 || at == nodeAndName.Length - 1) throw new ArgumentException($"Invalid name {nodeAndName}: write node@name or node.name.", nameof(nodeAndName));
        return Proxy(nodeAndName[..at], nodeAndName[at..]);
    }

    /// <summary>
    /// Registers <paramref name="address"/> as <c>@<paramref name="name"/></c> for other nodes (skynet's
    /// <c>cluster.register</c>). A service has one cluster name: registering it again moves the name.
    /// </summary>
    /// <exception cref="InvalidOperationException">The name is taken.</exception>
    public void Register(string name, Address address)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (_names)
        {
            if (_names.ContainsKey(name)) throw new InvalidOperationException($"The cluster name '{name}' is already registered to {_names[name]}; Unregister it first.");
            foreach (var (old, holder) in _names)
                if (holder == address) _names.TryRemove(old, out _);
            _names[name] = address;
        }
        _node.Logger.LogInformation("Register [{Name}] {Address}", name, address);
    }

    /// <summary>Removes a cluster name (skynet's <c>cluster.unregister</c>); nothing happens when it is not registered.</summary>
    public void Unregister(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_names.TryRemove(name, out var address))
            _node.Logger.LogInformation("Unregister [{Name}] {Address}", name, address);
    }

    /// <summary>The handle registered as <paramref name="name"/> on this node, if any.</summary>
    public Address? Registered(string name) => _names.TryGetValue(name, out var address) ? address : null;

    // ---- snax across nodes --------------------------------------------------------------------------------

    /// <summary>
    /// Publishes a snax service under <paramref name="name"/> so that other nodes find it with
    /// <c>cluster.snax(node, name)</c> (Lua) or <see cref="Snax{T}"/> (C#): this node's <c>.service</c> answers
    /// <c>QUERY "snaxd" name</c>, as skynet's <c>service_mgr</c> does for <c>snax.uniqueservice</c>. The service
    /// must call <see cref="SnaxCluster.EnableCluster{T}"/>.
    /// </summary>
    public async Task PublishSnax(string name, Address address)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _snaxNames[name] = address;
        Task<Address> directory;
        lock (_gate)
        {
            if (!_node.IsRegistered(SnaxDirectoryName))
                _node.AddService(SnaxDirectoryName, () => new SnaxDirectory(_snaxNames));
            directory = _node.UniqueService(SnaxDirectoryName);
        }
        await directory.ConfigureAwait(false);
    }

    /// <summary>
    /// A typed proxy for the snax service published as <paramref name="name"/> on <paramref name="node"/> (skynet's
    /// <c>cluster.snax</c>): its generated <c>Post</c>/<c>Req</c> views work across the cluster.
    /// </summary>
    /// <param name="node">The node name.</param>
    /// <param name="name">The published name (Lua: the snax service's file name).</param>
    /// <param name="format"><see cref="SnaxWireFormat.MemoryPack"/> for a C# node, <see cref="SnaxWireFormat.Lua"/> for a Lua snax service.</param>
    /// <exception cref="CallFailedException">The node is down, or publishes nothing under that name.</exception>
    public async Task<SnaxProxy<T>> Snax<T>(string node, string name, SnaxWireFormat format = SnaxWireFormat.MemoryPack) where T : Service, ISnaxService<T>, ISnaxLuaService<T>
    {
        var handle = await Call(node, SnaxDirectory.DirectoryName, "QUERY", "snaxd", name).ConfigureAwait(Service.Current is null ? false : true) as long?
            ?? throw new CallFailedException(Address.None, CallFailure.Refused, $"node '{node}' has no snax service '{name}'");
        var key = $"{node}\n{handle}\n{typeof(T).FullName}\n{format}";
        // A stand-in exits after forwarding a kill (so Snax.Kill completes): a gone one is replaced, not returned.
        if (!_snaxProxies.TryGetValue(key, out var proxy) || _node.WhenGone(proxy).IsCompleted)
        {
            var fresh = await _node.NewService(new ClusterSnaxProxy<T>(this), node, ClusterTarget.FromHandle((uint)handle), format).ConfigureAwait(Service.Current is null ? false : true);
            proxy = _snaxProxies.AddOrUpdate(key, fresh, (_, old) => _node.WhenGone(old).IsCompleted ? fresh : old);
        }
        return new SnaxProxy<T>(_node, proxy);
    }

    async Task<object?> Ask(object command)
    {
        var daemon = await Daemon().ConfigureAwait(false);
        return Service.Current is { } current && current.Node == _node
            ? await current.Call(daemon, PType.Lua, command)
            : await _node.Call(daemon, PType.Lua, command).ConfigureAwait(false);
    }

    Task<Address> Daemon()
    {
        var daemon = Volatile.Read(ref _daemon);
        if (daemon is { IsFaulted: false }) return daemon;
        lock (_gate)
        {
            if (_daemon is { IsFaulted: false }) return _daemon;
            if (!_node.IsRegistered(DaemonName))
            {
                try { _node.AddService(DaemonName, () => new ClusterDaemon(this)); }
                catch (InvalidOperationException) when (_node.IsRegistered(DaemonName)) { }
            }
            return _daemon = _node.UniqueService(DaemonName);
        }
    }
}
