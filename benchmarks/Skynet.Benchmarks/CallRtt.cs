namespace Skynet.Benchmarks;

/// <summary>call_rtt: one caller service makes sequential awaited calls to one echo service.</summary>
internal sealed class CallRtt : Benchmark
{
    public override string Name => "call_rtt";

    public override async Task RunAsync(Run run)
    {
        var calls = run.Scale(200_000);
        var node = StartNode(run);
        try
        {
            var echo = await node.NewService(new EchoService());
            var caller = await node.NewService(new CallerService());
            var probe = Probe.Start();
            var echoed = await node.Call(caller, PType.Lua, new CallJob(echo, calls));
            var measured = probe.Stop(calls);
            Run.Check(echoed is int n && n == calls, $"{echoed} of {calls} calls came back with their payload");
            run.Result(("calls", calls), ("sec", measured.Seconds), ("us_per_call", measured.Seconds * 1e6 / calls));
            measured.Report(run, "call");
        }
        finally
        {
            await node.StopAsync();
        }
    }
}
