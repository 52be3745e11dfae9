using System.Diagnostics.Metrics;

namespace Skynet.Net;

/// <summary>
/// The socket layer's counters, published on the <c>Skynet.Net</c> meter (read them with <c>dotnet-counters</c> or
/// OpenTelemetry) and kept as totals for <see cref="SocketApi.Stats"/>.
/// </summary>
internal static class NetMetrics
{
    public const string MeterName = "Skynet.Net";

    static readonly Meter s_meter = new(MeterName);

    /// <summary>Episodes in which listeners stopped accepting because the descriptor budget ran out.</summary>
    public static readonly Counter<long> AcceptPauses = s_meter.CreateCounter<long>("skynet.net.accept_pauses", description: "Times listeners stopped accepting at the descriptor budget");

    static readonly Counter<long> s_refused = s_meter.CreateCounter<long>("skynet.net.refused", description: "Connections refused or closed by an admission limit, by reason");

    static long s_refusedTotal, s_slowReaders;

    /// <summary>Slow readers closed because the node-wide send budget was exceeded.</summary>
    public static readonly Counter<long> SlowReadersClosed = s_meter.CreateCounter<long>("skynet.net.slow_readers_closed", description: "Connections closed to keep queued output within the node's send budget");

    /// <summary>Counts one refused connection.</summary>
    public static void Refused(string reason)
    {
        Interlocked.Increment(ref s_refusedTotal);
        s_refused.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }

    /// <summary>Counts one slow reader closed for the send budget.</summary>
    public static void SlowReaderClosed()
    {
        Interlocked.Increment(ref s_slowReaders);
        SlowReadersClosed.Add(1);
    }

    public static long RefusedTotal => Interlocked.Read(ref s_refusedTotal);

    public static long SlowReadersTotal => Interlocked.Read(ref s_slowReaders);
}
