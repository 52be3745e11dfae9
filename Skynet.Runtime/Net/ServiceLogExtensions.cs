using Microsoft.Extensions.Logging;

namespace Skynet.Net;

/// <summary>Aggregated logging for the network modules: one line per kind per 10 s, then a "repeated N times" summary.</summary>
internal static class ServiceLogExtensions
{
    /// <summary>
    /// Logs like <see cref="Service.Log(LogLevel, string, Exception?)"/>, but lines of the same <paramref name="kind"/>
    /// (node-wide) after the first in a 10 s window are only counted and summarized when the window ends.
    /// </summary>
    public static void LogAggregated(this Service service, string kind, LogLevel level, string message, Exception? exception = null) =>
        SocketServer.For(service.Node).Throttle.Log(kind, level, message, exception, service.Log);
}
