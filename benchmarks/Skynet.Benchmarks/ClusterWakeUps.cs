using System.Globalization;

namespace Skynet.Benchmarks;

/// <summary>
/// Voluntary context switches of one process's threads, summed by thread name (digits dropped), from /proc: each is
/// a thread that blocked and was woken again, so per call they count the hand-offs that slept (Linux; empty elsewhere).
/// The cluster benchmarks take it of both processes: this one (the caller) and the echo node.
/// </summary>
internal sealed class ClusterWakeUps
{
    readonly Dictionary<string, long> _caller, _server;
    readonly int _serverPid;

    ClusterWakeUps(int serverPid)
    {
        _serverPid = serverPid;
        _caller = Sleeps("self");
        _server = Sleeps(serverPid.ToString(CultureInfo.InvariantCulture));
    }

    public static ClusterWakeUps Start(int serverPid) => new(serverPid);

    /// <summary>Prints <c># name caller_wakeups_per_call=.. by_thread=.. server_wakeups_per_call=.. by_thread=..</c>.</summary>
    public void Report(Run run, long calls)
    {
        var caller = Sleeps("self");
        var server = Sleeps(_serverPid.ToString(CultureInfo.InvariantCulture));
        if (run.IsWarmup) return;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# {run.Name} caller_wakeups_per_call={Total(_caller, caller, calls):0.00} by_thread={PerCall(_caller, caller, calls)} server_wakeups_per_call={Total(_server, server, calls):0.00} by_thread={PerCall(_server, server, calls)}"));
    }

    static double Total(Dictionary<string, long> before, Dictionary<string, long> after, long calls) =>
        (double)(after.Values.Sum() - before.Values.Sum()) / calls;

    static string PerCall(Dictionary<string, long> before, Dictionary<string, long> after, long calls) => string.Join(',',
        after.Select(p => (p.Key, PerCall: (double)(p.Value - before.GetValueOrDefault(p.Key)) / calls))
            .Where(p => p.PerCall >= 0.01).OrderByDescending(p => p.PerCall)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}:{p.PerCall:0.00}")));

    static Dictionary<string, long> Sleeps(string process)
    {
        var sleeps = new Dictionary<string, long>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{process}/task"))
            {
                try
                {
                    var name = new string(File.ReadAllText(Path.Combine(task, "comm")).Trim().Where(c => !char.IsDigit(c)).ToArray()).Replace(' ', '_');
                    foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                        if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal))
                            sleeps[name] = sleeps.GetValueOrDefault(name) + long.Parse(line.AsSpan(24).Trim(), CultureInfo.InvariantCulture);
                }
                catch (IOException) { } // the thread ended meanwhile
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        return sleeps;
    }
}
