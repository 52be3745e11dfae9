namespace Skynet.Benchmarks;

/// <summary>
/// The cluster figures: a caller node in this process and an echo node in a second process (<see cref="ClusterServer"/>),
/// over one loopback cluster connection. Calls are made from inside services, as game code makes them.
/// </summary>
internal abstract class ClusterBenchmark : Benchmark
{
    /// <summary>Measures and returns the number of calls made (for the wake-ups per call).</summary>
    protected abstract Task<long> Measure(Run run, SkynetNode node);

    public override async Task RunAsync(Run run)
    {
        var (server, port) = await ClusterServer.Start();
        var node = StartNode(run);
        try
        {
            await Cluster.For(node).Reload([new("bench", $"127.0.0.1:{port}")]);
            Run.Check(Equals(await Cluster.For(node).Call("bench", "@echo", "warm"), "warm"), "echo over the cluster");
            var wakeUps = ClusterWakeUps.Start(server.Id);
            var calls = await Measure(run, node);
            wakeUps.Report(run, calls);
        }
        finally
        {
            await node.StopAsync();
            await ClusterServer.Stop(server);
        }
    }

    /// <summary>Runs <paramref name="callers"/> coroutines in one service, each making <paramref name="calls"/> sequential calls; returns seconds.</summary>
    protected static async Task<Measured> Callers(SkynetNode node, int callers, int calls, object payload, long operations)
    {
        var done = new TaskCompletionSource<Measured>(TaskCreationOptions.RunContinuationsAsynchronously);
        await node.NewService(new CallerService(callers, calls, payload, operations, done));
        return await done.Task;
    }

    sealed class CallerService(int callers, int calls, object payload, long operations, TaskCompletionSource<Measured> done) : Service
    {
        int _running;

        protected override ValueTask OnStart(object?[] args)
        {
            var probe = Probe.Start();
            _running = callers;
            for (var c = 0; c < callers; c++)
            {
                Fork(async () =>
                {
                    try
                    {
                        for (var i = 0; i < calls; i++)
                        {
                            var reply = await Cluster.Call("bench", "@echo", payload);
                            if (reply is null) throw new BenchmarkFailedException("echo returned nil");
                        }
                        if (--_running == 0) done.TrySetResult(probe.Stop(operations));
                    }
                    catch (Exception ex)
                    {
                        done.TrySetException(ex);
                    }
                });
            }
            return default;
        }
    }
}

/// <summary>cluster_call: one coroutine making sequential "lua" calls with one small argument (skynet: 61–72 µs here).</summary>
internal sealed class ClusterCall : ClusterBenchmark
{
    public override string Name => "cluster_call";

    protected override async Task<long> Measure(Run run, SkynetNode node)
    {
        var calls = run.Scale(20_000);
        var measured = await Callers(node, 1, calls, 1L, calls);
        run.Result(("calls", calls), ("us_per_call", measured.Seconds * 1e6 / calls));
        measured.Report(run, "call");
        return calls;
    }
}

/// <summary>cluster_pipelined: 64 coroutines calling at once over the one connection.</summary>
internal sealed class ClusterPipelined : ClusterBenchmark
{
    const int CallerCount = 64;

    public override string Name => "cluster_pipelined";

    protected override async Task<long> Measure(Run run, SkynetNode node)
    {
        var each = run.Scale(3_000);
        var total = (long)CallerCount * each;
        var measured = await Callers(node, CallerCount, each, 1L, total);
        run.Result(("callers", CallerCount), ("calls", total), ("calls_per_sec", total / measured.Seconds));
        measured.Report(run, "call");
        return total;
    }
}

/// <summary>
/// cluster_large: sequential calls carrying 1 MB and echoing it back (multi-part both ways); MB of payload per second,
/// counting each direction, and the caller process's managed allocations per round trip (the echo process is not counted).
/// </summary>
internal sealed class ClusterLarge : ClusterBenchmark
{
    const int Size = 1 << 20;

    public override string Name => "cluster_large";

    protected override async Task<long> Measure(Run run, SkynetNode node)
    {
        var calls = run.Scale(300);
        var payload = new byte[Size];
        new Random(1).NextBytes(payload);
        var measured = await Callers(node, 1, calls, payload, calls);
        run.Result(("calls", calls), ("bytes", Size), ("mb_per_sec", 2.0 * calls * Size / (1 << 20) / measured.Seconds), ("alloc_bytes_per_msg", measured.AllocBytesPerOp));
        measured.Report(run, "call");
        return calls;
    }
}
