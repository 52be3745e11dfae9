namespace Skynet.Benchmarks;

/// <summary>
/// send_1to1: one sender service posts small one-way messages (session 0, one cached payload, nothing allocated per
/// message) to one sink service, then calls the sink for its count. The call queues behind the sends, so its reply
/// means every message was handled. Timed from the outside request to the sender until that reply.
/// Diagnostic variants (comment lines): one worker thread; and flow control (the sender calls the sink every
/// 1000 messages, so the sink's mailbox stays small).
/// </summary>
internal sealed class SendOneToOne : Benchmark
{
    const int Window = 1000;

    public override string Name => "send_1to1";

    public override async Task RunAsync(Run run)
    {
        var messages = run.Scale(1_000_000);
        var measured = await Measure(run, messages, run.Threads, window: 0);
        run.Result(("msgs", messages), ("sec", measured.Seconds), ("msgs_per_sec", messages / measured.Seconds));
        measured.Report(run, "msg");

        var oneThread = await Measure(run, messages, threads: 1, window: 0);
        run.Comment($"{Name}_threads1", ("msgs_per_sec", messages / oneThread.Seconds));
        oneThread.Report(run, "msg", $"{Name}_threads1");

        var windowed = await Measure(run, messages, run.Threads, Window);
        run.Comment($"{Name}_window{Window}", ("msgs_per_sec", messages / windowed.Seconds));
        windowed.Report(run, "msg", $"{Name}_window{Window}");
    }

    static async Task<Measured> Measure(Run run, int messages, int threads, int window)
    {
        var node = StartNode(run, threads);
        try
        {
            var sink = await node.NewService(new SinkService());
            var sender = await node.NewService(new SenderService());
            var probe = Probe.Start();
            var count = await node.Call(sender, PType.Lua, new SendJob(sink, messages, window));
            var measured = probe.Stop(messages);
            Run.Check(count is long n && n == messages, $"the sink counted {count} messages, {messages} were sent");
            return measured;
        }
        finally
        {
            await node.StopAsync();
        }
    }

    sealed record SendJob(Address Sink, int Messages, int Window);

    sealed class SenderService : Service
    {
        static readonly object Payload = "hello";

        protected override ValueTask OnStart(object?[] args)
        {
            Dispatch(PType.Lua, async m =>
            {
                var job = (SendJob)m.Payload!;
                for (var i = 0; i < job.Messages; i++)
                {
                    Send(job.Sink, PType.Lua, Payload);
                    if (job.Window > 0 && (i + 1) % job.Window == 0) await Call(job.Sink, PType.Lua, null);
                }
                Ret(await Call(job.Sink, PType.Lua, null));
            });
            return default;
        }
    }
}
