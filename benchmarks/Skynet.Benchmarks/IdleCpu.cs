using System.Diagnostics;

namespace Skynet.Benchmarks;

/// <summary>
/// idle_cpu: what the workers burn when there is little or nothing to do (issue 18: bounded spinning, then park).
/// RESULT line: a node with 100 idle services, nothing sent, for 2 s: the process's CPU in cores (target ~0).
/// Comment lines (trickle): one outside thread makes sequential round trips (<c>node.Call</c> to an echo service and
/// blocks for the reply) for 2 s, back to back (gap0us) and 100 µs apart (gap100us, about one client's frame rate in
/// gate_rtt), so every request finds the workers idle: round trips per second, p50/p99 µs, and the worker threads' CPU
/// per round trip (from /proc, so the driver's own CPU is left out).
/// </summary>
internal sealed class IdleCpu : Benchmark
{
    public override string Name => "idle_cpu";

    public override async Task RunAsync(Run run)
    {
        var span = run.IsWarmup ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(2);
        var node = StartNode(run);
        try
        {
            for (var i = 0; i < 100; i++) await node.NewService(new IdleService());
            var echo = await node.NewService(new EchoService());
            await Task.Delay(100); // let start-up work finish before the idle window

            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var workers = WorkerCpu();
            var clock = Stopwatch.StartNew();
            Thread.Sleep(span);
            var idleCores = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / clock.Elapsed.TotalSeconds;
            var idleWorkers = (WorkerCpu() - workers).TotalSeconds / clock.Elapsed.TotalSeconds;
            run.Result(("seconds", clock.Elapsed.TotalSeconds), ("process_cores_busy", idleCores), ("worker_cores_busy", idleWorkers));

            Trickle(run, node, echo, span, gapMicroseconds: 0);
            Trickle(run, node, echo, span, gapMicroseconds: 100);
        }
        finally
        {
            await node.StopAsync();
        }
    }

    /// <summary>Sequential outside round trips for <paramref name="span"/>, <paramref name="gapMicroseconds"/> apart (the driver busy-waits the gap).</summary>
    void Trickle(Run run, SkynetNode node, Address echo, TimeSpan span, int gapMicroseconds)
    {
        var latencies = new List<double>(400_000);
        var payload = (object)"ping";
        var gap = Stopwatch.Frequency * gapMicroseconds / 1_000_000;
        var workers = WorkerCpu();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < span)
        {
            var started = Stopwatch.GetTimestamp();
            var reply = node.Call(echo, PType.Lua, payload).GetAwaiter().GetResult();
            var ended = Stopwatch.GetTimestamp();
            latencies.Add(Stopwatch.GetElapsedTime(started, ended).TotalMicroseconds);
            Run.Check(ReferenceEquals(reply, payload), "the echo did not return the payload");
            while (Stopwatch.GetTimestamp() - ended < gap) Thread.SpinWait(10);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var workerCpu = (WorkerCpu() - workers).TotalSeconds;
        latencies.Sort();
        run.Comment($"{Name}_trickle_gap{gapMicroseconds}us", ("calls", latencies.Count), ("calls_per_sec", latencies.Count / seconds),
            ("p50_us", latencies[latencies.Count / 2]), ("p99_us", latencies[(int)(latencies.Count * 0.99)]),
            ("worker_cpu_us_per_call", workerCpu * 1e6 / latencies.Count), ("worker_cores_busy", workerCpu / seconds));
    }

    /// <summary>User+system time of the threads named skynet-worker-* (Linux /proc; zero elsewhere).</summary>
    static TimeSpan WorkerCpu()
    {
        long ticks = 0;
        try
        {
            foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                try
                {
                    if (!File.ReadAllText(Path.Combine(task, "comm")).StartsWith("skynet-worker", StringComparison.Ordinal)) continue;
                    var stat = File.ReadAllText(Path.Combine(task, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    ticks += long.Parse(fields[11]) + long.Parse(fields[12]); // utime, stime (fields 14 and 15 of stat)
                }
                catch (IOException) { } // the thread ended meanwhile
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return TimeSpan.Zero; }
        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
    }
}
