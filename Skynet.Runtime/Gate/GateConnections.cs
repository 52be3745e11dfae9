using Microsoft.Extensions.Logging;
using Skynet.Net;

namespace Skynet.Gate;

/// <summary>
/// The accept and connection-table rules every gate shares (<see cref="GateServer"/>, <see cref="WebSocket.WebSocketGate"/>,
/// <see cref="WebSocket.WebSocketMasterGate"/>): a connection past MaxClient is shut at once, logged (aggregated) and
/// counted; connections that sent nothing for the idle timeout are closed by a sweep a few times per timeout.
/// </summary>
internal static class GateConnections
{
    /// <summary>
    /// Admits an accepted socket unless <paramref name="connected"/> reached <paramref name="maxClient"/>; a refused
    /// one is shut (skynet's gateserver closes the extra connection too), counted and logged.
    /// </summary>
    public static bool Admit(Service gate, string kind, int fd, string address, int connected, int maxClient)
    {
        if (connected < maxClient) return true;
        gate.SocketDriver.Shutdown(fd);
        NetMetrics.Refused($"{kind}-max-client");
        gate.LogAggregated($"{kind} full", LogLevel.Warning, $"{kind}: {connected} clients connected (MaxClient); refusing {address} (fd = {fd})");
        return false;
    }

    /// <summary>
    /// Runs <paramref name="close"/> for every connection whose last input (<see cref="SkynetNode.Now"/>, centiseconds)
    /// is older than <paramref name="timeout"/>, a few times per timeout, while <paramref name="active"/> holds.
    /// </summary>
    public static void SweepIdle<T>(Service gate, string kind, TimeSpan timeout, Func<bool> active, Func<IEnumerable<T>> connections,
        Func<T, long?> lastInput, Action<T> close)
    {
        var period = TimeSpan.FromTicks(Math.Max(timeout.Ticks / 4, TimeSpan.FromMilliseconds(10).Ticks));
        gate.SetTimeout(period, () =>
        {
            if (!active()) return;
            var idleSince = gate.Node.Now - (long)timeout.TotalMilliseconds / 10;
            List<T>? idle = null;
            foreach (var connection in connections())
                if (lastInput(connection) is { } last && last <= idleSince) (idle ??= []).Add(connection);
            if (idle is not null)
            {
                foreach (var connection in idle)
                {
                    NetMetrics.Refused($"{kind}-idle");
                    gate.LogAggregated($"{kind} idle", LogLevel.Warning, $"{kind}: a client sent nothing for {timeout.TotalSeconds} s (IdleTimeout); closing it");
                    close(connection);
                }
            }
            SweepIdle(gate, kind, timeout, active, connections, lastInput, close);
        });
    }
}
