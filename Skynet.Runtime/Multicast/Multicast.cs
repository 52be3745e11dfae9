namespace Skynet;

/// <summary>
/// skynet's <c>skynet.multicast</c>: publish/subscribe channels served by the node's <see cref="MulticastService"/>.
/// <code>
/// var channel = await Multicast.New();                        // multicast.new()
/// await channel.Subscribe((c, source, msg) => { ...; return default; });
/// channel.Publish("hello");                                    // every subscriber gets the same reference
/// var same = new MulticastChannel(channel.Id);                 // multicast.new{ channel = id }, in another service
/// </code>
/// </summary>
public static class Multicast
{
    /// <summary>The unique-service name of the node's multicast service (skynet's <c>multicastd</c>).</summary>
    public const string ServiceName = "multicastd";

    /// <summary>Creates a channel on the running service's node (skynet's <c>multicast.new()</c>).</summary>
    /// <exception cref="InvalidOperationException">Called outside a service; use <see cref="New(SkynetNode)"/>.</exception>
    public static Task<MulticastChannel> New() => New(CurrentNode());

    /// <summary>Creates a channel on <paramref name="node"/>, starting its multicast service on first use.</summary>
    public static async Task<MulticastChannel> New(SkynetNode node)
    {
        var service = await Start(node).ConfigureAwait(false);
        var id = (uint)(await node.Call(service, PType.Lua, new object?[] { "NEW" }).ConfigureAwait(false))!;
        return new MulticastChannel(node, id, service);
    }

    /// <summary>
    /// Starts the node's multicast service, or returns the running one. The first start decides the
    /// <paramref name="link"/> to other nodes (null: this node only).
    /// </summary>
    public static Task<Address> Start(SkynetNode node, IMulticastLink? link = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (!node.IsRegistered(ServiceName))
        {
            try { node.AddService(ServiceName, static () => new MulticastService()); }
            catch (InvalidOperationException) when (node.IsRegistered(ServiceName)) { } // another caller registered it first
        }
        return node.UniqueService(ServiceName, link);
    }

    /// <summary>The node's multicast service if it runs, else null.</summary>
    public static Address? Find(SkynetNode node) => node.LocalName(MulticastService.LocalServiceName);

    /// <summary>How many local subscribers a channel has on <paramref name="node"/> (-1: the node does not know the channel).</summary>
    public static async Task<int> SubscriberCount(SkynetNode node, uint channel) =>
        Find(node) is { } service ? (int)(await node.Call(service, PType.Lua, new object?[] { "COUNT", channel }).ConfigureAwait(false))! : -1;

    /// <summary>
    /// Deliveries the node's multicast service could not make to live receivers: subscribers whose bounded mailbox was
    /// full, and other nodes the link could not reach.
    /// </summary>
    public static async Task<long> DroppedCount(SkynetNode node) =>
        Find(node) is { } service ? (long)(await node.Call(service, PType.Lua, new object?[] { "DROPPED" }).ConfigureAwait(false))! : 0;

    // ---- the receiving end of an IMulticastLink -------------------------------------------------------------

    /// <summary>A publish arrived from another node: fan it out here (and, on the owner, to the other subscribed nodes).</summary>
    public static bool DeliverRemote(SkynetNode node, Address publisher, MulticastMessage message) =>
        Find(node) is { } service && node.Send(service, PType.Lua, new object?[] { "RPUB", publisher, message });

    /// <summary>Node <paramref name="fromHarbor"/> has subscribers of a channel owned here (skynet's <c>SUBR</c>); false if no such channel.</summary>
    public static async Task<bool> SubscribeRemote(SkynetNode node, int fromHarbor, uint channel) =>
        Find(node) is { } service && (bool)(await node.Call(service, PType.Lua, new object?[] { "SUBR", fromHarbor, channel }).ConfigureAwait(false))!;

    /// <summary>Node <paramref name="fromHarbor"/> has no subscriber of the channel left (skynet's <c>USUBR</c>).</summary>
    public static bool UnsubscribeRemote(SkynetNode node, int fromHarbor, uint channel) =>
        Find(node) is { } service && node.Send(service, PType.Lua, new object?[] { "USUBR", fromHarbor, channel });

    /// <summary>Another node deleted a channel: the owner deletes it everywhere, a subscriber node forgets it.</summary>
    public static bool DeleteRemote(SkynetNode node, uint channel) =>
        Find(node) is { } service && node.Send(service, PType.Lua, new object?[] { (channel & 0xFF) == (uint)node.Harbor ? "DEL" : "DELR", channel });

    /// <summary>
    /// Node <paramref name="harbor"/> went down: <paramref name="node"/> stops forwarding publishes to it and forgets the
    /// channels it owned. An <see cref="IMulticastLink"/> calls this when it loses a peer.
    /// </summary>
    public static bool NodeDown(SkynetNode node, int harbor) =>
        Find(node) is { } service && node.Send(service, PType.Lua, new object?[] { "NODEDOWN", harbor });

    /// <summary>The other nodes (harbors) an owned channel forwards its publishes to, one network message each per publish.</summary>
    public static async Task<int[]> RemoteNodes(SkynetNode node, uint channel) =>
        Find(node) is { } service ? (int[])(await node.Call(service, PType.Lua, new object?[] { "NODES", channel }).ConfigureAwait(false))! : [];

    /// <summary>
    /// After a reconnect, node <paramref name="fromHarbor"/> lists the channels owned here that it has subscribers for;
    /// the list replaces what <paramref name="node"/> kept for it. Returns the channels that still exist.
    /// </summary>
    public static async Task<uint[]> ResubscribeRemote(SkynetNode node, int fromHarbor, uint[] channels)
    {
        ArgumentNullException.ThrowIfNull(channels);
        return Find(node) is { } service ? (uint[])(await node.Call(service, PType.Lua, new object?[] { "RESUBR", fromHarbor, channels }).ConfigureAwait(false))! : [];
    }

    /// <summary>The channels owned by node <paramref name="harbor"/> that <paramref name="node"/> has local subscribers for (what a link resubscribes after a reconnect).</summary>
    public static async Task<uint[]> ChannelsOwnedBy(SkynetNode node, int harbor) =>
        Find(node) is { } service ? (uint[])(await node.Call(service, PType.Lua, new object?[] { "OWNEDBY", harbor }).ConfigureAwait(false))! : [];

    internal static SkynetNode CurrentNode() =>
        Service.Current?.Node ?? throw new InvalidOperationException("Outside a service, pass the SkynetNode (for example Multicast.New(node)).");
}
