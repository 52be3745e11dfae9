namespace Skynet;

/// <summary>
/// What one node's <see cref="ClusterMulticastLink"/> knows about one peer node. <see cref="Down"/> is read by the
/// multicast service on every publish toward the peer and written by the peer service, hence volatile.
/// </summary>
internal sealed class ClusterMulticastPeerState(int harbor, string name)
{
    public int Harbor { get; } = harbor;
    public string Name { get; } = name;

    /// <summary>The peer link's <see cref="ClusterMulticastLink.Incarnation"/>, 0 while unknown.</summary>
    public long Incarnation;

    /// <summary>Publishes not sent to the peer during the current outage.</summary>
    public long DroppedWhileDown;

    volatile bool _down;

    /// <summary>True while the connection is broken and the peer service reconnects (one reconnect loop per peer).</summary>
    public bool Down { get => _down; set => _down = value; }
}

/// <summary>The link events, raised off the services' threads.</summary>
internal enum ClusterMulticastEvent
{
    Disconnected,
    Reconnected,
    NodeDown,
}
