namespace Skynet.Benchmarks;

/// <summary>
/// snax_post: one sender service posts one-way snax messages (one cached string argument) to a snax sink, then
/// requests its count. Compare with send_1to1, which sends the same payload raw.
/// </summary>
internal sealed class SnaxPost : Benchmark
{
    public override string Name => "snax_post";

    public override async Task RunAsync(Run run)
    {
        var messages = run.Scale(1_000_000);
        var node = StartNode(run);
        try
        {
            var sink = await Snax.NewService<SnaxSink>(node);
            var sender = await node.NewService(new SnaxSender());
            var probe = Probe.Start();
            var count = await node.Call(sender, PType.Lua, new SnaxJob(sink.Target, messages));
            var measured = probe.Stop(messages);
            Run.Check(count is long n && n == messages, $"the snax sink counted {count} messages, {messages} were posted");
            run.Result(("msgs", messages), ("sec", measured.Seconds), ("msgs_per_sec", messages / measured.Seconds));
            measured.Report(run, "msg");
        }
        finally
        {
            await node.StopAsync();
        }
    }

    sealed class SnaxSender : Service
    {
        const string Payload = "hello";

        protected override ValueTask OnStart(object?[] args)
        {
            Dispatch(PType.Lua, async m =>
            {
                var job = (SnaxJob)m.Payload!;
                var sink = Snax.Bind<SnaxSink>(job.Target).Post;
                for (var i = 0; i < job.Count; i++) sink.Hit(Payload);
                Ret(await Snax.Bind<SnaxSink>(job.Target).Req.Count());
            });
            return default;
        }
    }
}

internal sealed record SnaxJob(Address Target, int Count);

/// <summary>Counts snax posts; echoes snax requests.</summary>
[Service]
internal sealed partial class SnaxSink : Service
{
    long _count;

    [Accept] public void Hit(string text) => _count++;

    [Response] public long Count() => _count;

    [Response] public string Echo(string text) => text;
}
