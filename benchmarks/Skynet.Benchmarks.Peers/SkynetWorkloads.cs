namespace Skynet.Benchmarks.Peers;

/// <summary>The Skynet side: the same services and shapes as the core group's send_1to1, call_rtt, call_pairs and spawn.</summary>
internal static class SkynetWorkloads
{
    const string System = "skynet";

    public static IEnumerable<Variant> All() =>
    [
        new("send_1to1", System, "send", "msgs_per_sec", true, Sizes.Messages, Send),
        new("call_rtt", System, "call", "us_per_call", false, Sizes.Calls, CallRtt),
        new("call_rtt", System, "pinger", "us_per_call", false, Sizes.Calls, n => PingPairs(n, 1)),
        new("call_pairs", System, "call", "calls_per_sec", true, Sizes.Calls, CallPairs),
        new("call_pairs", System, "pinger", "calls_per_sec", true, Sizes.Calls, n => PingPairs(n, Sizes.Pairs)),
        new("spawn", System, "new_service", "us_per_spawn", false, Sizes.Actors, Spawn),
        new("spawn", System, "new_service_in_service", "us_per_spawn", false, Sizes.Actors, SpawnInService),
    ];

    static SkynetNode StartNode()
    {
        var node = new SkynetNode(new SkynetOptions { Threads = Environment.ProcessorCount });
        node.Start();
        return node;
    }

    static async Task<Sample> Send(int messages)
    {
        var node = StartNode();
        try
        {
            var sink = await node.NewService(new SinkService());
            var sender = await node.NewService(new SenderService());
            var probe = Probe.Start();
            var count = await node.Call(sender, PType.Lua, new SendJob(sink, messages)).WaitAsync(Sizes.Deadline);
            var measured = probe.Stop(messages);
            Run.Check(count is long n && n == messages, $"the sink counted {count} messages, {messages} were sent");
            return new(messages / measured.Seconds, measured.AllocBytesPerOp);
        }
        finally
        {
            await node.StopAsync();
        }
    }

    static async Task<Sample> CallRtt(int calls)
    {
        var node = StartNode();
        try
        {
            var echo = await node.NewService(new EchoService());
            var caller = await node.NewService(new CallerService());
            var probe = Probe.Start();
            var echoed = await node.Call(caller, PType.Lua, new CallJob(echo, calls)).WaitAsync(Sizes.Deadline);
            var measured = probe.Stop(calls);
            Run.Check(echoed is int n && n == calls, $"{echoed} of {calls} calls came back with their payload");
            return new(measured.Seconds * 1e6 / calls, measured.AllocBytesPerOp);
        }
        finally
        {
            await node.StopAsync();
        }
    }

    static async Task<Sample> CallPairs(int size)
    {
        var perPair = size / Sizes.Pairs;
        var calls = perPair * Sizes.Pairs;
        var node = StartNode();
        try
        {
            var callers = new Address[Sizes.Pairs];
            var echoes = new Address[Sizes.Pairs];
            for (var i = 0; i < Sizes.Pairs; i++)
            {
                echoes[i] = await node.NewService(new EchoService());
                callers[i] = await node.NewService(new CallerService());
            }
            var probe = Probe.Start();
            var replies = new Task<object?>[Sizes.Pairs];
            for (var i = 0; i < Sizes.Pairs; i++) replies[i] = node.Call(callers[i], PType.Lua, new CallJob(echoes[i], perPair));
            var echoed = await Task.WhenAll(replies).WaitAsync(Sizes.Deadline);
            var measured = probe.Stop(calls);
            var total = echoed.Sum(e => e is int n ? n : 0);
            Run.Check(total == calls, $"{total} of {calls} calls came back with their payload");
            return new(calls / measured.Seconds, measured.AllocBytesPerOp);
        }
        finally
        {
            await node.StopAsync();
        }
    }

    static async Task<Sample> Spawn(int services)
    {
        const int batch = 100;
        var node = StartNode();
        try
        {
            var addresses = new Address[services];
            var pending = new Task<Address>[batch];
            var heapBefore = await Heap.SettledBytes();
            var probe = Probe.Start();
            for (var started = 0; started < services; started += batch)
            {
                var size = Math.Min(batch, services - started);
                for (var i = 0; i < size; i++) pending[i] = node.NewService(new IdleService());
                for (var i = 0; i < size; i++) addresses[started + i] = await pending[i].WaitAsync(Sizes.Deadline);
            }
            var measured = probe.Stop(services);
            var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
            Run.Check(addresses.Distinct().Count() == services, "two services got the same address");
            GC.KeepAlive(addresses);
            return new(measured.Seconds * 1e6 / services, measured.AllocBytesPerOp, (heapAfter - heapBefore) / (double)services);
        }
        finally
        {
            await node.StopAsync();
        }
    }

    /// <summary>
    /// The peers' pinger shape on Skynet: one-way <c>Send</c> both ways (session 0, no reply routing, no awaiting),
    /// the pinger sending the next ping when the pong arrives. Not a request: a diagnostic of the bare hand-off,
    /// so the gap between it and <c>call</c> is what the request layer costs.
    /// </summary>
    static async Task<Sample> PingPairs(int size, int pairs)
    {
        var perPair = size / pairs;
        var calls = perPair * pairs;
        var node = StartNode();
        try
        {
            var pingers = new Address[pairs];
            var pongs = new Address[pairs];
            var done = new TaskCompletionSource<int>[pairs];
            for (var i = 0; i < pairs; i++)
            {
                pongs[i] = await node.NewService(new PongService());
                pingers[i] = await node.NewService(new PingerService());
                done[i] = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            var probe = Probe.Start();
            for (var i = 0; i < pairs; i++) node.Send(pingers[i], PType.Lua, new PingJob(pongs[i], perPair, done[i]));
            var echoed = await Task.WhenAll(done.Select(d => d.Task)).WaitAsync(Sizes.Deadline);
            var measured = probe.Stop(calls);
            Run.Check(echoed.Sum() == calls, $"skynet: {echoed.Sum()} of {calls} pings came back");
            return pairs == 1 ? new(measured.Seconds * 1e6 / calls, measured.AllocBytesPerOp) : new(calls / measured.Seconds, measured.AllocBytesPerOp);
        }
        finally
        {
            await node.StopAsync();
        }
    }

    sealed record PingJob(Address Pong, int Pings, TaskCompletionSource<int> Done);

    /// <summary>Starts on a <see cref="PingJob"/>; every other message is a pong: count it and send the next ping.</summary>
    sealed class PingerService : Service
    {
        static readonly object Ping = "ping";
        PingJob? _job;
        int _received;

        protected override ValueTask OnStart(object?[] args)
        {
            Dispatch(PType.Lua, m =>
            {
                if (m.Payload is PingJob job)
                {
                    _job = job;
                    Send(job.Pong, PType.Lua, Ping);
                }
                else if (++_received == _job!.Pings) _job.Done.SetResult(_received);
                else Send(_job.Pong, PType.Lua, Ping);
                return default;
            });
            return default;
        }
    }

    /// <summary>Sends every message back to its source, one way.</summary>
    sealed class PongService : Service
    {
        protected override ValueTask OnStart(object?[] args)
        {
            Dispatch(PType.Lua, m =>
            {
                Send(m.Source, PType.Lua, m.Payload);
                return default;
            });
            return default;
        }
    }

    /// <summary>As the peers' parents do: one service starts all the services at once from its handler, then waits for them.</summary>
    static async Task<Sample> SpawnInService(int services)
    {
        var node = StartNode();
        try
        {
            var parent = await node.NewService(new ParentService());
            var heapBefore = await Heap.SettledBytes();
            var probe = Probe.Start();
            var started = await node.Call(parent, PType.Lua, services).WaitAsync(Sizes.Deadline);
            var measured = probe.Stop(services);
            var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
            Run.Check(started is Address[] addresses && addresses.Distinct().Count() == services, "the parent did not start every service");
            GC.KeepAlive(started);
            return new(measured.Seconds * 1e6 / services, measured.AllocBytesPerOp, (heapAfter - heapBefore) / (double)services);
        }
        finally
        {
            await node.StopAsync();
        }
    }

    /// <summary>Starts the requested number of <see cref="IdleService"/>s without waiting between them; replies with their addresses.</summary>
    sealed class ParentService : Service
    {
        protected override ValueTask OnStart(object?[] args)
        {
            Dispatch(PType.Lua, async m =>
            {
                var starts = new Task<Address>[(int)m.Payload!];
                for (var i = 0; i < starts.Length; i++) starts[i] = Node.NewService(new IdleService());
                Ret(await Task.WhenAll(starts));
            });
            return default;
        }
    }

    sealed record SendJob(Address Sink, int Messages);

    /// <summary>Sends the messages one way, then calls the sink: its reply queues behind them, so it means all were handled.</summary>
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
