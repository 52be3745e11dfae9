using System.Text;
using Microsoft.Extensions.Logging;
using Skynet.Codecs;

namespace Skynet;

/// <summary>
/// An <see cref="IMulticastLink"/> over the cluster module: multicast channels span the nodes of a cluster. Each node
/// needs its own harbor (<see cref="SkynetOptions.Harbor"/>, 1-255: a channel id carries its owner's harbor) and
/// the map from harbor to cluster node name (<see cref="ClusterMulticastOptions.Nodes"/>, or <c>Skynet:Multicast:Nodes</c>
/// under <c>AddSkynet</c>, which then starts the link with the node). Start it with
/// <see cref="Start(SkynetNode, ClusterMulticastOptions)"/> before anything else uses multicast on the node.
/// </summary>
/// <remarks>
/// <para>A publish leaves the node as <b>one cluster push per subscribed node</b> (never one per remote subscriber),
/// its payload encoded once by the <see cref="IMulticastCodec"/> and the same bytes written to every node.</para>
/// <para>Liveness: each node holds one cluster call open toward every peer it exchanges channels with (the peer answers
/// it only when it is asked again). When the connection drops, the call fails and the peer is <i>unreachable</i>:
/// publishes toward it are dropped and counted (<see cref="PublishesDropped"/>, one log line per outage), never
/// queued, so a dead peer neither slows nor grows this node. The link asks the peer again with a growing pause; when it
/// answers with the same <see cref="Incarnation"/> (a blip), this node's subscriptions there are restored and
/// deliveries resume. A peer that restarted, or stays away for <see cref="ClusterMulticastOptions.NodeDownAfter"/>, is
/// dropped (<see cref="Multicast.NodeDown"/>): the owner stops forwarding to it, and a subscriber node forgets the
/// channels that peer owned. Nothing polls while the connection is up.</para>
/// </remarks>
public sealed class ClusterMulticastLink : IMulticastLink
{
    /// <summary>The local name of the service that receives multicast traffic from other nodes (a cluster target).</summary>
    public const string PeerName = ".multicast_cluster";

    readonly SkynetNode _node;
    readonly Dictionary<int, ClusterMulticastPeerState> _peers = [];
    readonly IMulticastCodec _codec;
    MulticastMessage? _lastMessage;
    byte[]? _lastBytes;
    long _sent;
    long _received;
    long _encoded;
    long _dropped;
    Address _peer;

    ClusterMulticastLink(SkynetNode node, ClusterMulticastOptions options)
    {
        _node = node;
        foreach (var (harbor, name) in options.Nodes)
            if (harbor != node.Harbor) _peers[harbor] = new ClusterMulticastPeerState(harbor, name);
        _codec = options.Codec ?? SkynetPackMulticastCodec.Instance;
        Options = options;
        // Tells a blip (same incarnation: resume) from a restart (new one: the old channel ids mean nothing any more).
        Incarnation = Random.Shared.NextInt64(1, long.MaxValue);
    }

    /// <summary>
    /// Starts the node's multicast service with a cluster link. The cluster must already know the nodes' addresses
    /// (<see cref="ClusterClient.Reload(IEnumerable{KeyValuePair{string, object}})"/>) and this node must listen
    /// (<see cref="ClusterClient.Open(int, string)"/>) for the others to reach it.
    /// </summary>
    /// <param name="node">This node; its <see cref="SkynetNode.Harbor"/> must be unique in the cluster and not 0.</param>
    /// <param name="nodes">Harbor → cluster node name, for every other node that shares channels (this node's entry is ignored).</param>
    /// <param name="codec">How payloads cross; default <see cref="SkynetPackMulticastCodec"/>.</param>
    /// <exception cref="InvalidOperationException">The harbor is 0, or the node's multicast service already runs.</exception>
    public static Task<ClusterMulticastLink> Start(SkynetNode node, IReadOnlyDictionary<int, string> nodes, IMulticastCodec? codec = null)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var options = new ClusterMulticastOptions { Codec = codec };
        foreach (var (harbor, name) in nodes) options.Nodes[harbor] = name;
        return Start(node, options);
    }

    /// <summary>
    /// Starts the node's multicast service with a cluster link configured by <paramref name="options"/> (under
    /// <c>AddSkynet</c> this happens at start when <c>Skynet:Multicast:Nodes</c> is set; see <see cref="ClusterMulticastOptions"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The harbor is not 1-255, or the node's multicast service already runs.</exception>
    public static async Task<ClusterMulticastLink> Start(SkynetNode node, ClusterMulticastOptions options)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(options);
        if (node.Harbor is <= 0 or > 255) throw new InvalidOperationException($"Multicast across nodes needs a harbor from 1 to 255 per node (SkynetOptions.Harbor), not {node.Harbor}.");
        if (Multicast.Find(node) is not null) throw new InvalidOperationException("The node's multicast service already runs; start the cluster link before the first multicast use.");
        var link = new ClusterMulticastLink(node, options);
        link._peer = await node.NewService(new ClusterMulticastPeer(link)).ConfigureAwait(false);
        await Multicast.Start(node, link).ConfigureAwait(false);
        s_links.AddOrUpdate(node, link);
        return link;
    }

    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SkynetNode, ClusterMulticastLink> s_links = new();

    /// <summary>The link started on <paramref name="node"/> (by <see cref="Start(SkynetNode, ClusterMulticastOptions)"/> or by the host), or null.</summary>
    public static ClusterMulticastLink? Of(SkynetNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return s_links.TryGetValue(node, out var link) ? link : null;
    }

    /// <summary>The options the link runs with (read when it started: changing them later changes nothing).</summary>
    public ClusterMulticastOptions Options { get; }

    /// <summary>A random number drawn when the link started: peers tell a reconnect to this node from a restart of it.</summary>
    public long Incarnation { get; }

    /// <summary>Publishes sent to other nodes (cluster messages: one per subscribed node per publish).</summary>
    public long PublishesSent => Interlocked.Read(ref _sent);

    /// <summary>Publishes received from other nodes.</summary>
    public long PublishesReceived => Interlocked.Read(ref _received);

    /// <summary>Payloads encoded (one per publish that left this node, whatever the number of nodes it went to).</summary>
    public long PayloadsEncoded => Interlocked.Read(ref _encoded);

    /// <summary>Publishes not sent because their node was unreachable (one per node per publish; also in <see cref="Multicast.DroppedCount"/>).</summary>
    public long PublishesDropped => Interlocked.Read(ref _dropped);

    /// <summary>True while the connection to node <paramref name="harbor"/> is broken and the link tries to get it back.</summary>
    public bool IsUnreachable(int harbor) => _peers.TryGetValue(harbor, out var peer) && peer.Down;

    /// <summary>Raised (on a pool thread) when the connection to a peer broke; the link reconnects. The argument is its harbor.</summary>
    public event Action<int>? Disconnected;

    /// <summary>Raised (on a pool thread) when a peer is reachable again and subscriptions are restored; the argument is its harbor.</summary>
    public event Action<int>? Reconnected;

    /// <summary>
    /// Raised (on a pool thread) after a peer was given up (unreachable for <see cref="ClusterMulticastOptions.NodeDownAfter"/>)
    /// or found restarted, and dropped; the argument is its harbor.
    /// </summary>
    public event Action<int>? NodeDown;

    internal SkynetNode Node => _node;
    internal IMulticastCodec Codec => _codec;
    internal bool TryName(int harbor, out string name)
    {
        name = _peers.TryGetValue(harbor, out var peer) ? peer.Name : null!;
        return name is not null;
    }
    internal bool TryPeer(int harbor, out ClusterMulticastPeerState peer) => _peers.TryGetValue(harbor, out peer!);
    internal void CountReceived() => Interlocked.Increment(ref _received);
    internal void Raise(ClusterMulticastEvent kind, int harbor) =>
        ThreadPool.QueueUserWorkItem(static state => state.link.RaiseNow(state.kind, state.harbor), (link: this, kind, harbor), preferLocal: false);

    void RaiseNow(ClusterMulticastEvent kind, int harbor) =>
        (kind switch { ClusterMulticastEvent.Disconnected => Disconnected, ClusterMulticastEvent.Reconnected => Reconnected, _ => NodeDown })?.Invoke(harbor);

    ClusterClient Cluster => global::Skynet.Cluster.For(_node);

    /// <inheritdoc/>
    public bool Forward(int harbor, Address publisher, MulticastMessage message)
    {
        if (!_peers.TryGetValue(harbor, out var peer)) return false;
        if (peer.Down)
        {
            // Not queued: a peer that may stay away for NodeDownAfter must not grow this node's memory.
            Interlocked.Increment(ref peer.DroppedWhileDown);
            Interlocked.Increment(ref _dropped);
            return false;
        }
        if (Encode(message) is not { } bytes) return false;
        Cluster.Send(peer.Name, PeerName, "RPUB", (long)_node.Harbor, (long)publisher.Value, (long)message.Channel, bytes);
        Interlocked.Increment(ref _sent);
        return true;
    }

    // Forward runs on the multicast service alone, once per subscribed node in a row for one publish: remembering
    // the last message is enough to encode each publish once. A payload the codec cannot carry stays on this node
    // (its local subscribers still get it) and counts as dropped for every other node.
    byte[]? Encode(MulticastMessage message)
    {
        if (ReferenceEquals(message, _lastMessage)) return _lastBytes;
        byte[]? bytes = null;
        try
        {
            bytes = _codec.Encode(message.Payload);
            Interlocked.Increment(ref _encoded);
        }
        catch (Exception ex) when (ex is ArgumentException or PackException or NotSupportedException or InvalidOperationException)
        {
            _node.Logger.LogWarning("multicast: a {Type} published on channel {Channel} cannot cross to other nodes ({Reason}); only this node's subscribers get it",
                message.Payload?.GetType().Name ?? "null", message.Channel, ex.Message);
        }
        (_lastMessage, _lastBytes) = (message, bytes);
        return bytes;
    }

    /// <inheritdoc/>
    public async Task<bool> Subscribe(int harbor, uint channel)
    {
        if (!_peers.TryGetValue(harbor, out var peer)) return false;
        try
        {
            if (await Cluster.Call(peer.Name, PeerName, "SUBR", (long)_node.Harbor, (long)channel, Incarnation) is not long incarnation) return false;
            // The first answer tells who the owner is; a different one later is a restart, which the peer service handles.
            Interlocked.CompareExchange(ref peer.Incarnation, incarnation, 0);
            _node.Send(_peer, PType.Lua, new object?[] { "WATCH_NODE", harbor });
            return true;
        }
        catch (CallFailedException)
        {
            return false; // the owner is unreachable: no subscription, as for a channel that does not exist
        }
    }

    /// <inheritdoc/>
    public void Unsubscribe(int harbor, uint channel)
    {
        if (TryName(harbor, out var name)) Cluster.Send(name, PeerName, "USUBR", (long)_node.Harbor, (long)channel);
    }

    /// <inheritdoc/>
    public void Delete(int harbor, uint channel)
    {
        if (TryName(harbor, out var name)) Cluster.Send(name, PeerName, "DEL", (long)channel);
    }

    /// <summary>A payload byte string as it arrives: skynet.unpack gives UTF-8 strings as <see cref="string"/>.</summary>
    internal static byte[]? Bytes(object? value) => value switch
    {
        byte[] bytes => bytes,
        string text => Encoding.UTF8.GetBytes(text), // it was valid UTF-8, so this gives back the very bytes
        _ => null,
    };
}
