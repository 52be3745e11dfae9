namespace Skynet;

/// <summary>
/// Reads, writes and waits on one node's datacenter (skynet's <c>skynet.datacenter</c>). Get one with
/// <see cref="DataCenter.On"/>; inside a service the static <see cref="DataCenter"/> methods do the same for its node.
/// </summary>
/// <remarks>
/// <para>A path is one or more keys (strings or numbers, compared with <see cref="object.Equals(object?)"/>; integers
/// of any width are one key, as Lua's integers: <c>1</c> and <c>1L</c> name the same key). Setting a deeper path creates the branches above it; reading a branch gives an
/// immutable snapshot (<see cref="IReadOnlyDictionary{TKey, TValue}"/>), never the live tree.</para>
/// <para>Node-local by default. <see cref="UseCluster"/> (or <see cref="Configure"/>) names one cluster node whose
/// datacenter the whole cluster shares, as skynet's <c>datacenterd</c> runs on the master: other nodes then send
/// every Get/Set/Wait there through the cluster, so keys and values must be Lua values (strings, numbers, booleans,
/// byte arrays, tables; branches read back as the same read-only snapshots). If that node is down, calls fail with
/// <see cref="CallFailedException"/> (<see cref="CallFailure.NodeDown"/>), waits included.</para>
/// </remarks>
public sealed class DataCenterClient
{
    /// <summary>The configuration key naming the cluster node that serves the datacenter for the whole cluster.</summary>
    public const string ConfigurationKey = "Skynet:DataCenter:Node";

    readonly SkynetNode _node;
    volatile string? _remote;

    internal DataCenterClient(SkynetNode node) => _node = node;

    /// <summary>The cluster node whose datacenter this node uses, or null when it uses its own.</summary>
    public string? ClusterNode => _remote;

    /// <summary>
    /// Shares the datacenter of cluster node <paramref name="node"/> (skynet: datacenterd on the master). On that node
    /// itself (its <see cref="SkynetOptions.NodeName"/>) this starts the datacenter service so other nodes find it;
    /// elsewhere every Get/Set/Wait goes there through the cluster. Null goes back to this node's own datacenter.
    /// </summary>
    public async Task UseCluster(string? node)
    {
        if (node is null || node == _node.Options.NodeName)
        {
            _remote = null;
            if (node is not null) await DataCenter.Start(_node).ConfigureAwait(false);
            return;
        }
        _remote = node;
    }

    /// <summary>Applies <see cref="ConfigurationKey"/> (<c>Skynet:DataCenter:Node</c>): unset or empty keeps the datacenter node-local.</summary>
    public Task Configure(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var node = configuration[ConfigurationKey];
        return UseCluster(string.IsNullOrEmpty(node) ? null : node);
    }

    async Task<object?> Remote(string node, params object?[] args) =>
        DataCenterLua.FromLua(await Cluster.For(_node).Call(node, DataCenterService.LocalServiceName, args).ConfigureAwait(global::Skynet.Service.Current is not null));

    /// <summary>The value at <paramref name="path"/>, a snapshot of the branch there, or null (skynet's <c>datacenter.get</c>).</summary>
    public async Task<object?> Get(params object[] path)
    {
        path = DataCenterPath.Check(path);
        if (_remote is { } remote) return await Remote(remote, ["QUERY", .. path]).ConfigureAwait(false);
        return await _node.Call(await Service().ConfigureAwait(false), PType.Lua, new object?[] { "QUERY", path }).ConfigureAwait(false);
    }

    /// <summary>The value at <paramref name="path"/> as <typeparamref name="T"/>, or default when there is none.</summary>
    /// <exception cref="InvalidCastException">The stored value is not a <typeparamref name="T"/>.</exception>
    public async Task<T?> Get<T>(params object[] path) => await Get(path).ConfigureAwait(false) switch
    {
        null => default,
        T value => value,
        var other => throw new InvalidCastException($"datacenter {DataCenterPath.Format(path)} holds a {other.GetType().Name}, not a {typeof(T).Name}."),
    };

    /// <summary>
    /// Sets the value at a path (skynet's <c>datacenter.set(key..., value)</c>): the last argument is the value, the
    /// ones before it the keys. A null value removes the key. Waiters of the path, and of the branches above it, wake up.
    /// </summary>
    /// <returns>The value that was there before, or null.</returns>
    public async Task<object?> Set(params object?[] pathAndValue)
    {
        ArgumentNullException.ThrowIfNull(pathAndValue);
        if (pathAndValue.Length < 2) throw new ArgumentException("Set takes one or more keys and then the value, like Set(\"multicast\", 1, address).", nameof(pathAndValue));
        var path = DataCenterPath.Check(pathAndValue[..^1]!);
        if (_remote is { } remote) return await Remote(remote, ["UPDATE", .. path, DataCenterLua.ToLua(pathAndValue[^1])]).ConfigureAwait(false);
        return await _node.Call(await Service().ConfigureAwait(false), PType.Lua, new object?[] { "UPDATE", path, pathAndValue[^1] }).ConfigureAwait(false);
    }

    /// <summary>The value at <paramref name="path"/>; if there is none yet, waits until it is set (skynet's <c>datacenter.wait</c>).</summary>
    public Task<object?> Wait(params object[] path) => Wait(path, timeout: null);

    /// <summary>Like <see cref="Wait(object[])"/>, giving up after <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">Nothing was set at the path within <paramref name="timeout"/>.</exception>
    public async Task<object?> Wait(object[] path, TimeSpan? timeout)
    {
        path = DataCenterPath.Check(path);
        if (timeout is { } limit && limit < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "Use a positive timeout, or null to wait without one.");
        if (_remote is { } remote)
        {
            if (timeout is not { } within) return await Remote(remote, ["WAIT", .. path]).ConfigureAwait(false);
            var reply = await Cluster.For(_node).Call(remote, DataCenterService.LocalServiceName, ["WAIT_FOR", (long)Math.Ceiling(within.TotalMilliseconds), .. path]).ConfigureAwait(global::Skynet.Service.Current is not null);
            return reply is object?[] { Length: 2 } pair && pair[0] is true
                ? DataCenterLua.FromLua(pair[1])
                : throw new TimeoutException($"datacenter {DataCenterPath.Format(path)} on node '{remote}' was not set within {timeout}.");
        }
        var result = await _node.Call(await Service().ConfigureAwait(false), PType.Lua, new object?[] { "WAIT", path, timeout }).ConfigureAwait(false);
        return result is DataCenterTimedOut
            ? throw new TimeoutException($"datacenter {DataCenterPath.Format(path)} was not set within {timeout}.")
            : result;
    }

    // Looked up each time (a dictionary read), so a service restarted after it was killed is found again.
    async ValueTask<Address> Service() =>
        _node.LocalName(DataCenterService.LocalServiceName) ?? await DataCenter.Start(_node).ConfigureAwait(false);
}
