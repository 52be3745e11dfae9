namespace Skynet.Benchmarks;

/// <summary>
/// call_pairs: 64 caller services, each making sequential calls to its own echo service, all at once.
/// Diagnostic variant (comment line): one worker thread.
/// </summary>
internal sealed class CallPairs : Benchmark
{
    const int Pairs = 64;

    public override string Name => "call_pairs";

    public override async Task RunAsync(Run run)
    {
        var perPair = run.Scale(200_000) / Pairs;
        var calls = perPair * Pairs;
        var measured = await Measure(run, perPair, run.Threads);
        run.Result(("pairs", Pairs), ("calls", calls), ("sec", measured.Seconds), ("calls_per_sec", calls / measured.Seconds));
        measured.Report(run, "call");

        var oneThread = await Measure(run, perPair, threads: 1);
        run.Comment($"{Name}_threads1", ("calls_per_sec", calls / oneThread.Seconds));
        oneThread.Report(run, "call", $"{Name}_threads1");
    }

    static async Task<Measured> Measure(Run run, int perPair, int threads)
    {
        var calls = perPair * Pairs;
        var node = StartNode(run, threads);
        try
        {
            var callers = new Address[Pairs];
            var echoes = new Address[Pairs];
            for (var i = 0; i < Pairs; i++)
            {
                echoes[i] = await node.NewService(new EchoService());
                callers[i] = await node.NewService(new CallerService());
            }
            var probe = Probe.Start();
            var replies = new Task<object?>[Pairs];
            for (var i = 0; i < Pairs; i++) replies[i] = node.Call(callers[i], PType.Lua, new CallJob(echoes[i], perPair));
            var echoed = await Task.WhenAll(replies);
            var measured = probe.Stop(calls);
            var total = echoed.Sum(e => e is int n ? n : 0);
            Run.Check(total == calls, $"{total} of {calls} calls came back with their payload");
            return measured;
        }
        finally
        {
            await node.StopAsync();
        }
    }
}
