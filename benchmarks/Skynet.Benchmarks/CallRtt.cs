namespace Skynet.Benchmarks;

/// <summary>
/// call_rtt: one caller service makes sequential awaited calls to one echo service.
/// Diagnostic variant (comment line): one worker thread, so every hand-off stays on one core.
/// </summary>
internal sealed class CallRtt : Benchmark
{
    public override string Name => "call_rtt";

    public override async Task RunAsync(Run run)
    {
        var calls = run.Scale(200_000);
        var measured = await Measure(run, calls, run.Threads);
        run.Result(("calls", calls), ("sec", measured.Seconds), ("us_per_call", measured.Seconds * 1e6 / calls));
        measured.Report(run, "call");

        var oneThread = await Measure(run, calls, threads: 1);
        run.Comment($"{Name}_threads1", ("us_per_call", oneThread.Seconds * 1e6 / calls));
        oneThread.Report(run, "call", $"{Name}_threads1");
    }

    static async Task<Measured> Measure(Run run, int calls, int threads)
    {
        var node = StartNode(run, threads);
        try
        {
            var echo = await node.NewService(new EchoService());
            var caller = await node.NewService(new CallerService());
            var probe = Probe.Start();
            var echoed = await node.Call(caller, PType.Lua, new CallJob(echo, calls));
            var measured = probe.Stop(calls);
            Run.Check(echoed is int n && n == calls, $"{echoed} of {calls} calls came back with their payload");
            return measured;
        }
        finally
        {
            await node.StopAsync();
        }
    }
}
