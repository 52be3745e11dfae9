using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Skynet.Diagnostics;

/// <summary>
/// The node's <see cref="System.Diagnostics.Metrics"/> instruments, on the meter named <c>Skynet</c> (skynet's
/// <c>stat</c> figures for OpenTelemetry, Prometheus or <c>dotnet-counters</c>): messages handled, mailbox lengths,
/// call latency, failed calls by kind, sockets open, bytes in and out, cluster calls.
/// </summary>
/// <remarks>
/// Every instrument costs one static flag check per event while nobody listens. Services and nodes are tagged with
/// <c>skynet.node</c> (the node name); mailbox lengths are read on demand, when a listener collects.
/// </remarks>
public static class SkynetMetrics
{
    /// <summary>The meter name: <c>Skynet</c>.</summary>
    public const string MeterName = "Skynet";

    static readonly Meter s_meter = new(MeterName, typeof(SkynetMetrics).Assembly.GetName().Version?.ToString());
    static readonly ConditionalWeakTable<SkynetNode, object> s_nodes = new();
    // Keyed by node too: handles are per node, and several nodes may share the process (a test's cluster).
    static readonly ConcurrentDictionary<(SkynetNode Node, uint Caller, int Session), long> s_callStarts = new();
    // ConcurrentDictionary.IsEmpty takes every lock when the dictionary is empty: far too slow for a per-message check.
    static int s_openCalls;

    static readonly Counter<long> s_messages = s_meter.CreateCounter<long>("skynet.messages.handled", "{message}", "Messages handled by services (replies, timers and control messages included).");
    static readonly Histogram<double> s_callLatency = s_meter.CreateHistogram<double>("skynet.call.duration", "s", "Time from a service's call to its reply or failure.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5] });
    static readonly Counter<long> s_callFailures = s_meter.CreateCounter<long>("skynet.call.failures", "{call}", "Calls that failed, by kind (skynet.failure: UnknownAddress, ServiceExited, HandlerFailed, Timeout, ...).");
    static readonly Counter<long> s_bytesIn = s_meter.CreateCounter<long>("skynet.socket.bytes_in", "By", "Bytes received on the node's sockets.");
    static readonly Counter<long> s_bytesOut = s_meter.CreateCounter<long>("skynet.socket.bytes_out", "By", "Bytes sent on the node's sockets.");
    static readonly Counter<long> s_clusterCalls = s_meter.CreateCounter<long>("skynet.cluster.calls", "{call}", "Requests sent to other cluster nodes (skynet.cluster.node: the peer).");

    static SkynetMetrics()
    {
        s_meter.CreateObservableGauge("skynet.mailbox.length", ObserveMailboxes, "{message}", "Messages waiting in each service's mailbox (skynet's mqlen), tagged skynet.service.");
        s_meter.CreateObservableUpDownCounter("skynet.services", ObserveServiceCounts, "{service}", "Live services per node.");
        s_meter.CreateObservableUpDownCounter("skynet.sockets.open", ObserveSockets, "{socket}", "Open sockets per node.");
    }

    /// <summary>True while any listener is enabled on a per-message instrument; the runtime's hooks check it first.</summary>
    internal static bool MessagesEnabled => s_messages.Enabled;

    internal static bool CallsEnabled => s_callLatency.Enabled || s_callFailures.Enabled;

    /// <summary>True while a message or call instrument listens, or a call started under a listener is still open.</summary>
    internal static bool Recording => s_messages.Enabled || CallsEnabled || Volatile.Read(ref s_openCalls) != 0;

    /// <summary>Lets the observable instruments see <paramref name="node"/> (called once when a node is created).</summary>
    internal static void Track(SkynetNode node) => s_nodes.AddOrUpdate(node, node.Options.NodeName);

    internal static void MessageHandled(Service service) =>
        s_messages.Add(1, new KeyValuePair<string, object?>("skynet.node", service.Node.Options.NodeName));

    internal static void CallStarted(Service caller, int session)
    {
        if (s_callStarts.TryAdd((caller.Node, caller.Self.Value, session), Stopwatch.GetTimestamp())) Interlocked.Increment(ref s_openCalls);
    }

    internal static void CallEnded(Service caller, int session, object? failure)
    {
        if (Volatile.Read(ref s_openCalls) == 0 || !s_callStarts.TryRemove((caller.Node, caller.Self.Value, session), out var started)) return; // a sleep, a wait or a timer, not a call
        Interlocked.Decrement(ref s_openCalls);
        var node = new KeyValuePair<string, object?>("skynet.node", caller.Node.Options.NodeName);
        s_callLatency.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, node);
        if (failure is not null) s_callFailures.Add(1, node, new("skynet.failure", FailureKind(failure)));
    }

    /// <summary>Counts bytes received on a socket (called by socket drivers and gates).</summary>
    public static void RecordBytesIn(long bytes) { if (s_bytesIn.Enabled) s_bytesIn.Add(bytes); }

    /// <summary>Counts bytes sent on a socket (called by socket drivers and gates).</summary>
    public static void RecordBytesOut(long bytes) { if (s_bytesOut.Enabled) s_bytesOut.Add(bytes); }

    /// <summary>Counts one request sent to cluster node <paramref name="peer"/> (called by the cluster module).</summary>
    public static void RecordClusterCall(string peer) { if (s_clusterCalls.Enabled) s_clusterCalls.Add(1, new KeyValuePair<string, object?>("skynet.cluster.node", peer)); }

    static string FailureKind(object failure) => failure switch
    {
        CallError error => error.Failure.ToString(),
        CallFailedException failed => failed.Failure.ToString(),
        OperationCanceledException => "Canceled",
        _ => failure.GetType().Name,
    };

    static IEnumerable<Measurement<int>> ObserveMailboxes()
    {
        foreach (var (node, name) in s_nodes)
            foreach (var service in node.ListServices())
                yield return new(service.QueueLength, new("skynet.node", name), new("skynet.service", service.Address.ToString()));
    }

    static IEnumerable<Measurement<int>> ObserveServiceCounts()
    {
        foreach (var (node, name) in s_nodes) yield return new(node.ServiceCount, new KeyValuePair<string, object?>("skynet.node", name));
    }

    static IEnumerable<Measurement<int>> ObserveSockets()
    {
        foreach (var (node, name) in s_nodes) yield return new(Net.SocketServer.For(node).Count, new KeyValuePair<string, object?>("skynet.node", name));
    }
}
