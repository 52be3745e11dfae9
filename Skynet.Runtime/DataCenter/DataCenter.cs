using System.Runtime.CompilerServices;

namespace Skynet;

/// <summary>
/// skynet's <c>skynet.datacenter</c> for the running service's node: <c>await DataCenter.Set("config", "port", 8888)</c>,
/// <c>await DataCenter.Get("config", "port")</c>, <c>await DataCenter.Wait("config", "ready")</c>. From outside a
/// service, use <see cref="On"/>. The data is node-local; see <see cref="DataCenterClient"/> for the rules of paths.
/// </summary>
public static class DataCenter
{
    /// <summary>The unique-service name of the node's datacenter (skynet's <c>datacenterd</c>).</summary>
    public const string ServiceName = "datacenterd";

    static readonly ConditionalWeakTable<SkynetNode, DataCenterClient> s_clients = new();

    /// <summary>The datacenter of <paramref name="node"/>.</summary>
    public static DataCenterClient On(SkynetNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return s_clients.GetValue(node, static node => new DataCenterClient(node));
    }

    /// <summary>See <see cref="DataCenterClient.Get(object[])"/>.</summary>
    public static Task<object?> Get(params object[] path) => Current().Get(path);

    /// <summary>See <see cref="DataCenterClient.Get{T}(object[])"/>.</summary>
    public static Task<T?> Get<T>(params object[] path) => Current().Get<T>(path);

    /// <summary>See <see cref="DataCenterClient.Set(object?[])"/>.</summary>
    public static Task<object?> Set(params object?[] pathAndValue) => Current().Set(pathAndValue);

    /// <summary>See <see cref="DataCenterClient.Wait(object[])"/>.</summary>
    public static Task<object?> Wait(params object[] path) => Current().Wait(path);

    /// <summary>See <see cref="DataCenterClient.Wait(object[], TimeSpan?)"/>.</summary>
    public static Task<object?> Wait(object[] path, TimeSpan? timeout) => Current().Wait(path, timeout);

    /// <summary>Starts the node's datacenter service, or returns the running one.</summary>
    public static Task<Address> Start(SkynetNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (!node.IsRegistered(ServiceName))
        {
            try { node.AddService(ServiceName, static () => new DataCenterService()); }
            catch (InvalidOperationException) when (node.IsRegistered(ServiceName)) { } // another caller registered it first
        }
        return node.UniqueService(ServiceName);
    }

    static DataCenterClient Current() =>
        On(Service.Current?.Node ?? throw new InvalidOperationException("Outside a service, use DataCenter.On(node)."));
}
