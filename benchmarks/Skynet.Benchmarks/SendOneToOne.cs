namespace Skynet.Benchmarks;

/// <summary>
/// send_1to1: one sender service posts small one-way messages (session 0, one cached payload, nothing allocated per
/// message) to one sink service, then calls the sink for its count. The call queues behind the sends, so its reply
/// means every message was handled. Timed from the outside request to the sender until that reply.
/// </summary>
internal sealed class SendOneToOne : Benchmark
{
    public override string Name => "send_1to1";

    public override async Task RunAsync(Run run)
    {
        var messages = run.Scale(1_000_000);
        var node = StartNode(run);
        try
        {
            var sink = await node.NewService(new SinkService());
            var sender = await node.NewService(new SenderService());
            var probe = Probe.Start();
            var count = await node.Call(sender, PType.Lua, new SendJob(sink, messages));
            var measured = probe.Stop(messages);
            Run.Check(count is long n && n == messages, $"the sink counted {count} messages, {messages} were sent");
            run.Result(("msgs", messages), ("sec", measured.Seconds), ("msgs_per_sec", messages / measured.Seconds));
            measured.Report(run, "msg");
        }
        finally
        {
            await node.StopAsync();
        }
    }

    sealed record SendJob(Address Sink, int Messages);

    sealed class SenderService : Service
    {
        static readonly object Payload = "hello";

        protected override ValueTask OnStart(object?[] args)
        {
            Dispatch(PType.Lua, async m =>
            {
                var job = (SendJob)m.Payload!;
                for (var i = 0; i < job.Messages; i++) Send(job.Sink, PType.Lua, Payload);
                Ret(await Call(job.Sink, PType.Lua, null));
            });
            return default;
        }
    }
}
