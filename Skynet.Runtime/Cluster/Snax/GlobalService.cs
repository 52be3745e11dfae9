namespace Skynet;

/// <summary>
/// skynet's <c>snax.globalservice</c> / <c>snax.queryglobal</c>, over the cluster instead of harbor names: one node
/// hosts the unique <typeparamref name="T"/> and publishes it (<c>@name</c> for cluster calls, and <c>.service</c>
/// <c>QUERY "snaxd" name</c> for snax); any node reaches it by cluster node name.
/// </summary>
/// <typeparam name="T">The snax service; it must call <see cref="SnaxCluster.EnableCluster{T}"/> in <c>OnInit</c>.</typeparam>
public static class GlobalService<T> where T : Service, ISnaxService<T>, ISnaxLuaService<T>, new()
{
    /// <summary>The name used when none is given: the type's name.</summary>
    public static string DefaultName => typeof(T).Name;

    /// <summary>
    /// Starts (or finds) the unique <typeparamref name="T"/> on <paramref name="node"/> and publishes it as
    /// <paramref name="name"/> for the cluster.
    /// </summary>
    public static async Task<SnaxProxy<T>> Launch(SkynetNode node, string? name = null, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(node);
        name ??= DefaultName;
        var proxy = await Snax.LaunchUnique<T>(node, args).ConfigureAwait(Service.Current is null ? false : true);
        var cluster = Cluster.For(node);
        if (cluster.Registered(name) != proxy.Target) cluster.Register(name, proxy.Target);
        await cluster.PublishSnax(name, proxy.Target).ConfigureAwait(Service.Current is null ? false : true);
        return proxy;
    }

    /// <summary>A typed proxy for the <typeparamref name="T"/> that <paramref name="clusterNode"/> published as <paramref name="name"/>.</summary>
    /// <exception cref="CallFailedException">The node is down or publishes nothing under that name.</exception>
    public static Task<SnaxProxy<T>> Query(SkynetNode node, string clusterNode, string? name = null) =>
        Cluster.For(node).Snax<T>(clusterNode, name ?? DefaultName);
}
