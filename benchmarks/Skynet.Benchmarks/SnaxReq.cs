namespace Skynet.Benchmarks;

/// <summary>snax_req: one caller service makes sequential awaited snax requests (string in, same string out). Compare with call_rtt.</summary>
internal sealed class SnaxReq : Benchmark
{
    public override string Name => "snax_req";

    public override async Task RunAsync(Run run)
    {
        var calls = run.Scale(200_000);
        var node = StartNode(run);
        try
        {
            var echo = await Snax.NewService<SnaxSink>(node);
            var caller = await node.NewService(new SnaxCaller());
            var probe = Probe.Start();
            var echoed = await node.Call(caller, PType.Lua, new SnaxJob(echo.Target, calls));
            var measured = probe.Stop(calls);
            Run.Check(echoed is int n && n == calls, $"{echoed} of {calls} snax requests came back with their argument");
            run.Result(("calls", calls), ("sec", measured.Seconds), ("us_per_call", measured.Seconds * 1e6 / calls));
            measured.Report(run, "call");
        }
        finally
        {
            await node.StopAsync();
        }
    }

    sealed class SnaxCaller : Service
    {
        const string Payload = "ping";

        protected override ValueTask OnStart(object?[] args)
        {
            Dispatch(PType.Lua, async m =>
            {
                var job = (SnaxJob)m.Payload!;
                var req = Snax.Bind<SnaxSink>(job.Target).Req;
                var echoed = 0;
                for (var i = 0; i < job.Count; i++)
                    if (ReferenceEquals(await req.Echo(Payload), Payload)) echoed++;
                Ret(echoed);
            });
            return default;
        }
    }
}
