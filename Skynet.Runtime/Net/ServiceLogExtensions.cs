using Microsoft.Extensions.Logging;

namespace Skynet.Net;

/// <summary>Aggregated logging, for lines a flood of clients could repeat: one line per kind per 10 s, then a "repeated N times" summary.</summary>
public static class ServiceLogExtensions
{
    /// <summary>
    /// Logs like <see cref="Service.Log(LogLevel, string, Exception?)"/>, but lines of the same <paramref name="kind"/>
    /// (node-wide) after the first in a 10 s window are only counted and summarized when the window ends
    /// (<c>"{kind} ... repeated N times in 10 s"</c>). Use a kind without per-client details (no fd, no address), so
    /// lines that differ only in those aggregate; at most 1024 kinds are tracked at once.
    /// </summary>
    /// <param name="service">The service that logs (its address prefixes the line).</param>
    /// <param name="kind">What makes lines "the same".</param>
    /// <param name="level">The level.</param>
    /// <param name="message">The line, details included.</param>
    /// <param name="exception">An exception to log with the first line of the window (its stack is not repeated).</param>
    public static void LogAggregated(this Service service, string kind, LogLevel level, string message, Exception? exception = null) =>
        SocketServer.For(service.Node).Throttle.Log(kind, level, message, exception, service.Log);
}
