using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Skynet.Diagnostics;

/// <summary>
/// The debug console's <c>logon</c>/<c>logoff</c> (dump every message a service handles to <c>{logpath}/xxxxxxxx.log</c>,
/// as skynet does) and <c>trace</c> (log each message through the node's logger).
/// </summary>
public static class MessageWatch
{
    static readonly ConcurrentDictionary<uint, StreamWriter> s_logs = new();
    static readonly ConcurrentDictionary<uint, bool> s_traced = new();
    static volatile bool s_any;

    internal static bool Any => s_any;

    /// <summary>Starts dumping the messages <paramref name="address"/> handles to a file under <paramref name="directory"/>.</summary>
    /// <returns>The file's path.</returns>
    public static string LogOn(Address address, string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{address.Value:x8}.log");
        s_logs.GetOrAdd(address.Value, _ => new StreamWriter(path, append: true) { AutoFlush = true });
        Refresh();
        return path;
    }

    /// <summary>Stops the dump of <paramref name="address"/>; false when it was not on.</summary>
    public static bool LogOff(Address address)
    {
        var removed = s_logs.TryRemove(address.Value, out var writer);
        if (removed) lock (writer!) writer.Dispose();
        Refresh();
        return removed;
    }

    /// <summary>Turns per-message trace logging of <paramref name="address"/> on or off.</summary>
    public static void Trace(Address address, bool on)
    {
        if (on) s_traced[address.Value] = true;
        else s_traced.TryRemove(address.Value, out _);
        Refresh();
    }

    /// <summary>True when <paramref name="address"/> is traced.</summary>
    public static bool IsTraced(Address address) => s_traced.ContainsKey(address.Value);

    static void Refresh() => s_any = !s_logs.IsEmpty || !s_traced.IsEmpty;

    internal static void Handled(Service service, in Envelope envelope)
    {
        var self = service.Self.Value;
        if (s_logs.TryGetValue(self, out var writer))
        {
            var line = $":{envelope.Source:x8} {envelope.Type} {envelope.Session} {Describe(envelope.Payload)}";
            lock (writer)
            {
                try { writer.WriteLine(line); }
                catch (ObjectDisposedException) { } // logoff raced with this message
            }
        }
        if (s_traced.ContainsKey(self))
            service.Node.ServiceLogger.LogInformation("[{Address}] trace: from :{Source:x8} type {Type} session {Session}", service.Self.ToString(), envelope.Source, envelope.Type, envelope.Session);
    }

    static string Describe(object? payload) => payload switch
    {
        null => "nil",
        object?[] args => string.Join(' ', args.Select(a => a?.ToString() ?? "nil")),
        byte[] bytes => Convert.ToHexString(bytes, 0, Math.Min(bytes.Length, 64)),
        _ => payload.ToString() ?? "",
    };
}
