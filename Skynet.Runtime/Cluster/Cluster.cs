namespace Skynet;

/// <summary>
/// skynet's <c>skynet.cluster</c> for the running service: <c>Call</c>, <c>Send</c>, <c>Open</c>, <c>Reload</c>,
/// <c>Proxy</c>, <c>Register</c>, <c>Unregister</c>, <c>Query</c>. Wire-compatible with Lua skynet nodes. Outside a
/// service use <see cref="For"/> with the node.
/// </summary>
/// <example>
/// <code>
/// await Cluster.Reload(new Dictionary&lt;string, object?&gt; { ["db"] = "127.0.0.1:2528", ["db2"] = false });
/// var value = await Cluster.Call("db", "@sdb", "GET", "a");
/// </code>
/// </example>
public static class Cluster
{
    /// <summary>The cluster module of <paramref name="node"/>, for use from anywhere.</summary>
    public static ClusterClient For(SkynetNode node) => ClusterClient.Get(node);

    static ClusterClient Current =>
        ClusterClient.Get(Service.Current?.Node ?? throw new InvalidOperationException("Outside a service, use Cluster.For(node)."));

    /// <inheritdoc cref="ClusterClient.Call"/>
    public static ValueTask<object?> Call(string node, object address, params object?[] args) => Current.Call(node, address, args);

    /// <inheritdoc cref="ClusterClient.Send"/>
    public static void Send(string node, object address, params object?[] args) => Current.Send(node, address, args);

    /// <inheritdoc cref="ClusterClient.Query"/>
    public static ValueTask<Address> Query(string node, string name) => Current.Query(node, name);

    /// <inheritdoc cref="ClusterClient.Reload(IEnumerable{KeyValuePair{string, object}})"/>
    public static Task Reload(IEnumerable<KeyValuePair<string, object?>> map) => Current.Reload(map);

    /// <inheritdoc cref="ClusterClient.Open(string)"/>
    public static Task<ClusterEndPoint> Open(string nodeName) => Current.Open(nodeName);

    /// <inheritdoc cref="ClusterClient.Open(int, string)"/>
    public static Task<ClusterEndPoint> Open(int port, string host = "0.0.0.0") => Current.Open(port, host);

    /// <inheritdoc cref="ClusterClient.Proxy(string, object)"/>
    public static Task<Address> Proxy(string node, object address) => Current.Proxy(node, address);

    /// <inheritdoc cref="ClusterClient.Proxy(string)"/>
    public static Task<Address> Proxy(string nodeAndName) => Current.Proxy(nodeAndName);

    /// <summary>Registers the running service as <c>@<paramref name="name"/></c> (skynet's <c>cluster.register(name)</c>).</summary>
    public static void Register(string name) => Current.Register(name, Service.Current!.Self);

    /// <inheritdoc cref="ClusterClient.Register"/>
    public static void Register(string name, Address address) => Current.Register(name, address);

    /// <inheritdoc cref="ClusterClient.Snax{T}"/>
    public static Task<SnaxProxy<T>> Snax<T>(string node, string name, SnaxWireFormat format = SnaxWireFormat.MemoryPack) where T : Service, ISnaxService<T>, ISnaxLuaService<T> =>
        Current.Snax<T>(node, name, format);

    /// <inheritdoc cref="ClusterClient.PublishSnax"/>
    public static Task PublishSnax(string name, Address address) => Current.PublishSnax(name, address);

    /// <inheritdoc cref="ClusterClient.Unregister"/>
    public static void Unregister(string name) => Current.Unregister(name);
}
