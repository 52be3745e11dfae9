using System.Text;
using Microsoft.Extensions.Logging;
using Skynet.Codecs;

namespace Skynet;

/// <summary>
/// An <see cref="IMulticastLink"/> over the cluster module: multicast channels span the nodes of a cluster. Each node
/// needs its own harbor (<see cref="SkynetOptions.Harbor"/>, 1-255: a channel id carries its owner's harbor) and
/// the map from harbor to cluster node name. Start it with <see cref="Start"/> before anything else uses multicast
/// on the node.
/// </summary>
/// <remarks>
/// <para>A publish leaves the node as <b>one cluster push per subscribed node</b> (never one per remote subscriber),
/// its payload encoded once by the <see cref="IMulticastCodec"/> and the same bytes written to every node.</para>
/// <para>Liveness: each node holds one cluster call open toward every peer it exchanges channels with (the peer answers
/// it only when it is asked again). When the connection drops, the call fails with
/// <see cref="CallFailure.NodeDown"/> and the node is dropped: the owner stops forwarding to it, and a subscriber
/// node forgets the channels that peer owned (<see cref="Multicast.NodeDown"/>). Nothing polls.</para>
/// </remarks>
public sealed class ClusterMulticastLink : IMulticastLink
{
    /// <summary>The local name of the service that receives multicast traffic from other nodes (a cluster target).</summary>
    public const string PeerName = ".multicast_cluster";

    readonly SkynetNode _node;
    readonly Dictionary<int, string> _nodes;
    readonly IMulticastCodec _codec;
    MulticastMessage? _lastMessage;
    byte[]? _lastBytes;
    long _sent;
    long _received;
    long _encoded;
    Address _peer;

    ClusterMulticastLink(SkynetNode node, IReadOnlyDictionary<int, string> nodes, IMulticastCodec codec)
    {
        _node = node;
        _nodes = new Dictionary<int, string>(nodes);
        _codec = codec;
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
    public static async Task<ClusterMulticastLink> Start(SkynetNode node, IReadOnlyDictionary<int, string> nodes, IMulticastCodec? codec = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(nodes);
        if (node.Harbor is <= 0 or > 255) throw new InvalidOperationException($"Multicast across nodes needs a harbor from 1 to 255 per node (SkynetOptions.Harbor), not {node.Harbor}.");
        if (Multicast.Find(node) is not null) throw new InvalidOperationException("The node's multicast service already runs; start the cluster link before the first multicast use.");
        var link = new ClusterMulticastLink(node, nodes, codec ?? SkynetPackMulticastCodec.Instance);
        link._peer = await node.NewService(new ClusterMulticastPeer(link)).ConfigureAwait(false);
        await Multicast.Start(node, link).ConfigureAwait(false);
        return link;
    }

    /// <summary>Publishes sent to other nodes (cluster messages: one per subscribed node per publish).</summary>
    public long PublishesSent => Interlocked.Read(ref _sent);

    /// <summary>Publishes received from other nodes.</summary>
    public long PublishesReceived => Interlocked.Read(ref _received);

    /// <summary>Payloads encoded (one per publish that left this node, whatever the number of nodes it went to).</summary>
    public long PayloadsEncoded => Interlocked.Read(ref _encoded);

    /// <summary>Raised (on a pool thread) after a peer was found down and dropped; the argument is its harbor.</summary>
    public event Action<int>? NodeDown;

    internal SkynetNode Node => _node;
    internal IMulticastCodec Codec => _codec;
    internal bool TryName(int harbor, out string name) => _nodes.TryGetValue(harbor, out name!);
    internal void CountReceived() => Interlocked.Increment(ref _received);
    internal void RaiseNodeDown(int harbor) => NodeDown?.Invoke(harbor);

    ClusterClient Cluster => global::Skynet.Cluster.For(_node);

    /// <inheritdoc/>
    public bool Forward(int harbor, Address publisher, MulticastMessage message)
    {
        if (!_nodes.TryGetValue(harbor, out var name) || Encode(message) is not { } bytes) return false;
        Cluster.Send(name, PeerName, "RPUB", (long)_node.Harbor, (long)publisher.Value, (long)message.Channel, bytes);
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
        if (!_nodes.TryGetValue(harbor, out var name)) return false;
        try
        {
            var ok = await Cluster.Call(name, PeerName, "SUBR", (long)_node.Harbor, (long)channel) is true;
            if (ok) _node.Send(_peer, PType.Lua, new object?[] { "WATCH_NODE", harbor });
            return ok;
        }
        catch (CallFailedException)
        {
            return false; // the owner is unreachable: no subscription, as for a channel that does not exist
        }
    }

    /// <inheritdoc/>
    public void Unsubscribe(int harbor, uint channel)
    {
        if (_nodes.TryGetValue(harbor, out var name)) Cluster.Send(name, PeerName, "USUBR", (long)_node.Harbor, (long)channel);
    }

    /// <inheritdoc/>
    public void Delete(int harbor, uint channel)
    {
        if (_nodes.TryGetValue(harbor, out var name)) Cluster.Send(name, PeerName, "DEL", (long)channel);
    }

    /// <summary>A payload byte string as it arrives: skynet.unpack gives UTF-8 strings as <see cref="string"/>.</summary>
    internal static byte[]? Bytes(object? value) => value switch
    {
        byte[] bytes => bytes,
        string text => Encoding.UTF8.GetBytes(text), // it was valid UTF-8, so this gives back the very bytes
        _ => null,
    };
}
