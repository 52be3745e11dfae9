namespace Skynet.Benchmarks;

/// <summary>
/// multicast_fanout: 1 000 subscriber services on one channel; one publisher service publishes a cached payload in
/// windows of 100 and waits until every subscriber has the window before publishing the next, so each mailbox stays
/// within one or two pooled segments (the steady state of a live channel). Timed from the end of the first window (which
/// fills the node's segment pool) until every subscriber has counted every message. Each publish allocates one shared <see cref="MulticastMessage"/> (handed to
/// all 1 000), each delivery nothing. A comment line repeats it as a flood (all messages at once), where the figure
/// includes the mailboxes growing by 3 KB segments past the node's segment pool.
/// </summary>
internal sealed class MulticastFanout : Benchmark
{
    const int Subscribers = 1000;
    const int Window = 100;

    public override string Name => "multicast_fanout";

    public override async Task RunAsync(Run run)
    {
        var messages = run.Scale(5_000) / Window * Window;
        var paced = await Measure(run, messages, Window);
        var deliveries = (long)(messages - Window) * Subscribers; // the first window warms up (see Measure)
        run.Result(("subscribers", Subscribers), ("msgs", messages), ("deliveries", deliveries), ("sec", paced.Seconds),
            ("deliveries_per_sec", deliveries / paced.Seconds));
        if (!run.IsWarmup) Console.WriteLine($"RESULT multicast_fanout_bytes_per_delivery={Run.Format(paced.AllocBytesPerOp)}");
        paced.Report(run, "delivery");
        run.Comment($"{Name}_per_cpu", ("deliveries_per_cpu_sec", deliveries / (paced.Seconds * paced.CpuCores)));

        var flood = await Measure(run, messages, window: messages);
        run.Comment($"{Name}_flood", ("deliveries_per_sec", (long)messages * Subscribers / flood.Seconds), ("bytes_per_delivery", flood.AllocBytesPerOp));
        flood.Report(run, "delivery", $"{Name}_flood");
    }

    static async Task<Measured> Measure(Run run, int messages, int window)
    {
        var node = StartNode(run);
        try
        {
            var channel = await Multicast.New(node);
            var pacer = new Pacer(messages / window, Subscribers);
            for (var i = 0; i < Subscribers; i++) await node.NewService(new Subscriber(channel.Id, window, pacer));
            var publisher = await node.NewService(new Publisher());

            // The first window is not measured: it fills the node's pool of mail segments (each of the 1 000 mailboxes
            // holds one or two while its window waits), which a live channel has done long before.
            // The flood is one window, measured whole, from cold pools.
            var warmup = window < messages ? window : 0;
            var probe = Probe.Start();
            node.Send(publisher, PType.Lua, new PublishJob(channel.Id, messages, window, pacer));
            if (warmup > 0)
            {
                await pacer.Window(0).WaitAsync(Run.Deadline);
                probe = Probe.Start();
            }
            await pacer.All.WaitAsync(Run.Deadline);
            var measured = probe.Stop((long)(messages - warmup) * Subscribers);
            Run.Check(await Multicast.SubscriberCount(node, channel.Id) == Subscribers, "a subscriber was lost");
            return measured;
        }
        finally
        {
            await node.StopAsync();
        }
    }

    sealed record PublishJob(uint Channel, int Messages, int Window, Pacer Pacer);

    /// <summary>One latch per window, made before the clock starts: each completes when every subscriber has the window.</summary>
    sealed class Pacer
    {
        readonly TaskCompletionSource[] _windows;
        readonly int[] _left;

        public Pacer(int windows, int subscribers)
        {
            _windows = new TaskCompletionSource[windows];
            _left = new int[windows];
            for (var i = 0; i < windows; i++)
            {
                _windows[i] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _left[i] = subscribers;
            }
        }

        public Task All => _windows[^1].Task;

        public Task Window(int index) => _windows[index].Task;

        public void Signal(int index)
        {
            if (Interlocked.Decrement(ref _left[index]) == 0) _windows[index].TrySetResult();
        }
    }

    sealed class Publisher : Service
    {
        static readonly object Payload = "tick";

        protected override ValueTask OnStart(object?[] args)
        {
            Dispatch(PType.Lua, async m =>
            {
                var job = (PublishJob)m.Payload!;
                var channel = new MulticastChannel(job.Channel);
                for (var w = 0; w < job.Messages / job.Window; w++)
                {
                    for (var i = 0; i < job.Window; i++) channel.Publish(Payload);
                    await job.Pacer.Window(w);
                }
            });
            return default;
        }
    }

    sealed class Subscriber(uint channel, int window, Pacer pacer) : Service
    {
        int _received;

        protected override async ValueTask OnStart(object?[] args) =>
            await new MulticastChannel(channel).Subscribe(OnMessage);

        ValueTask OnMessage(MulticastChannel channel, Address source, object? message)
        {
            if (++_received % window == 0) pacer.Signal(_received / window - 1);
            return default;
        }
    }
}
