using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;

namespace Skynet;

/// <summary>
/// skynet's <c>sharedata</c>/<c>sharetable</c> for the running service's node: read-only tables published once and read
/// by many services without a copy per reader. From outside a service, use <see cref="On"/>.
/// <code>
/// await SharedData.LoadJson("items", "config/items.json", ItemsJson.Default.ItemTable);   // reloads on file change
/// var items = (await SharedData.Query("items"))!.As&lt;ItemTable&gt;();
/// await SharedData.Watch("items", snapshot => { items = snapshot.As&lt;ItemTable&gt;(); return default; });
/// </code>
/// </summary>
public static class SharedData
{
    /// <summary>The unique-service name of the node's shared-data service (skynet's <c>sharedatad</c>).</summary>
    public const string ServiceName = "sharedatad";

    static readonly ConditionalWeakTable<SkynetNode, SharedDataClient> s_clients = new();

    /// <summary>The shared tables of <paramref name="node"/>.</summary>
    public static SharedDataClient On(SkynetNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return s_clients.GetValue(node, static node => new SharedDataClient(node));
    }

    /// <summary>See <see cref="SharedDataClient.New"/>.</summary>
    public static Task<SharedSnapshot> New(string name, object value) => Current().New(name, value);

    /// <summary>See <see cref="SharedDataClient.Query"/>.</summary>
    public static Task<SharedSnapshot?> Query(string name) => Current().Query(name);

    /// <summary>See <see cref="SharedDataClient.Update"/>.</summary>
    public static Task<SharedSnapshot> Update(string name, object value) => Current().Update(name, value);

    /// <summary>See <see cref="SharedDataClient.Delete"/>.</summary>
    public static Task<bool> Delete(string name) => Current().Delete(name);

    /// <summary>See <see cref="SharedDataClient.Watch"/>.</summary>
    public static Task<MulticastChannel> Watch(string name, Func<SharedSnapshot, ValueTask> changed) => Current().Watch(name, changed);

    /// <summary>See <see cref="SharedDataClient.LoadJson{T}"/>.</summary>
    public static Task<SharedSnapshot> LoadJson<T>(string name, string path, JsonTypeInfo<T> typeInfo) => Current().LoadJson(name, path, typeInfo);

    /// <summary>See <see cref="SharedDataClient.LoadMemoryPack{T}"/>.</summary>
    public static Task<SharedSnapshot> LoadMemoryPack<T>(string name, string path) => Current().LoadMemoryPack<T>(name, path);

    /// <summary>Starts the node's shared-data service, or returns the running one.</summary>
    public static Task<Address> Start(SkynetNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (!node.IsRegistered(ServiceName))
        {
            try { node.AddService(ServiceName, static () => new SharedDataService()); }
            catch (InvalidOperationException) when (node.IsRegistered(ServiceName)) { } // another caller registered it first
        }
        return node.UniqueService(ServiceName);
    }

    static SharedDataClient Current() =>
        On(Service.Current?.Node ?? throw new InvalidOperationException("Outside a service, use SharedData.On(node)."));
}
