namespace Skynet;

/// <summary>Limits and defaults of a node's cluster module, set through <see cref="ClusterClient.Options"/> before the first cluster call.</summary>
public sealed class ClusterOptions
{
    /// <summary>
    /// How long a cluster call waits for its reply; null waits until the reply comes or the connection drops (as
    /// skynet does). A call that runs out of time fails with <see cref="CallFailure.Timeout"/>.
    /// </summary>
    public TimeSpan? CallTimeout { get; set; }

    /// <summary>The largest multi-part message accepted from a peer (skynet has no limit; a hostile peer would).</summary>
    public int MaxMessageSize { get; set; } = 64 << 20;

    /// <summary>The most bytes one connection may hold in unfinished multi-part messages at once.</summary>
    public long MaxBufferedBytes { get; set; } = 128L << 20;

    /// <summary>
    /// The most calls one inbound connection may have waiting for replies at once; a peer that sends more is cut off
    /// (skynet has no limit; without one, a peer could pile up coroutines without end).
    /// </summary>
    public int MaxRequestsInFlight { get; set; } = 100_000;
}
