using Proto;

namespace Skynet.Benchmarks.Peers;

/// <summary>
/// The Proto.Actor side, written as Proto.Actor's own benchmarks/ do it: <c>IActor</c> classes switching on
/// <c>context.Message</c>, the default thread-pool dispatcher, a fresh <c>ActorSystem</c> per measurement,
/// ping-pong by <c>context.Send</c> with the pinger's PID in the message (InprocessBenchmark, one message in flight
/// per pair), request/reply by <c>RequestAsync</c> answered with <c>Respond</c>, and spawn by a parent whose children
/// report on <c>Started</c>. Completion is a <c>TaskCompletionSource</c> given to the actor, as in InprocessBenchmark.
/// </summary>
internal static class ProtoWorkloads
{
    const string System = "proto";
    static readonly object Payload = "ping";

    public static IEnumerable<Variant> All() =>
    [
        new("send_1to1", System, "send", "msgs_per_sec", true, Sizes.Messages, Send),
        new("call_rtt", System, "pinger", "us_per_call", false, Sizes.Calls, n => PingPairs(n, 1)),
        new("call_rtt", System, "request_async", "us_per_call", false, Sizes.Calls, n => RequestPairs(n, 1)),
        new("call_pairs", System, "pinger", "calls_per_sec", true, Sizes.Calls, n => PingPairs(n, Sizes.Pairs)),
        new("call_pairs", System, "request_async", "calls_per_sec", true, Sizes.Calls, n => RequestPairs(n, Sizes.Pairs)),
        new("spawn", System, "spawn", "us_per_spawn", false, Sizes.Actors, Spawn),
    ];

    static async Task<Sample> Send(int messages)
    {
        var system = new ActorSystem();
        var sink = system.Root.Spawn(Props.FromProducer(() => new Sink()));
        var sender = system.Root.Spawn(Props.FromProducer(() => new Sender()));
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = Probe.Start();
        system.Root.Send(sender, new SendJob(sink, messages, done));
        var count = await done.Task.WaitAsync(Sizes.Deadline);
        var measured = probe.Stop(messages);
        Run.Check(count == messages, $"proto: the sink counted {count} messages, {messages} were sent");
        await system.ShutdownAsync();
        return new(messages / measured.Seconds, measured.AllocBytesPerOp);
    }

    static Task<Sample> PingPairs(int size, int pairs) =>
        Pairs(size, pairs, (echo, calls, done) => Props.FromProducer(() => new Pinger(echo, calls, done)));

    static Task<Sample> RequestPairs(int size, int pairs) =>
        Pairs(size, pairs, (echo, calls, done) => Props.FromProducer(() => new Requester(echo, calls, done)));

    static async Task<Sample> Pairs(int size, int pairs, Func<PID, int, TaskCompletionSource<int>, Props> caller)
    {
        var perPair = size / pairs;
        var calls = perPair * pairs;
        var system = new ActorSystem();
        var callers = new PID[pairs];
        var done = new TaskCompletionSource<int>[pairs];
        for (var i = 0; i < pairs; i++)
        {
            var echo = system.Root.Spawn(Props.FromProducer(() => new Echo()));
            done[i] = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            callers[i] = system.Root.Spawn(caller(echo, perPair, done[i]));
        }
        var probe = Probe.Start();
        foreach (var c in callers) system.Root.Send(c, Start.Instance);
        var echoed = await Task.WhenAll(done.Select(d => d.Task)).WaitAsync(Sizes.Deadline);
        var measured = probe.Stop(calls);
        Run.Check(echoed.Sum() == calls, $"proto: {echoed.Sum()} of {calls} calls came back with their payload");
        await system.ShutdownAsync();
        return pairs == 1 ? new(measured.Seconds * 1e6 / calls, measured.AllocBytesPerOp) : new(calls / measured.Seconds, measured.AllocBytesPerOp);
    }

    static async Task<Sample> Spawn(int actors)
    {
        var system = new ActorSystem();
        var parent = system.Root.Spawn(Props.FromProducer(() => new Parent()));
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var heapBefore = await Heap.SettledBytes();
        var probe = Probe.Start();
        system.Root.Send(parent, new SpawnJob(actors, done));
        await done.Task.WaitAsync(Sizes.Deadline);
        var measured = probe.Stop(actors);
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(parent);
        await system.ShutdownAsync();
        return new(measured.Seconds * 1e6 / actors, measured.AllocBytesPerOp, (heapAfter - heapBefore) / (double)actors);
    }

    sealed record SendJob(PID Sink, int Messages, TaskCompletionSource<long> Done);
    sealed record CountQuery(TaskCompletionSource<long> Done);
    sealed record SpawnJob(int Actors, TaskCompletionSource<bool> Done);
    sealed record Ping(PID Pinger);

    sealed class Start
    {
        public static readonly Start Instance = new();
    }

    sealed class ChildReady
    {
        public static readonly ChildReady Instance = new();
    }

    sealed class Sink : IActor
    {
        long _count;

        public Task ReceiveAsync(IContext context)
        {
            switch (context.Message)
            {
                case CountQuery q:
                    q.Done.SetResult(_count);
                    break;
                case string:
                    _count++;
                    break;
            }
            return Task.CompletedTask;
        }
    }

    sealed class Sender : IActor
    {
        public Task ReceiveAsync(IContext context)
        {
            if (context.Message is SendJob job)
            {
                for (var i = 0; i < job.Messages; i++) context.Send(job.Sink, Payload);
                context.Send(job.Sink, new CountQuery(job.Done)); // queued behind the messages: the count is final
            }
            return Task.CompletedTask;
        }
    }

    sealed class Echo : IActor
    {
        public Task ReceiveAsync(IContext context)
        {
            switch (context.Message)
            {
                case Ping ping:
                    context.Send(ping.Pinger, ping);
                    break;
                case string:
                    context.Respond(context.Message);
                    break;
            }
            return Task.CompletedTask;
        }
    }

    sealed class Pinger(PID echo, int calls, TaskCompletionSource<int> done) : IActor
    {
        int _received;

        public Task ReceiveAsync(IContext context)
        {
            switch (context.Message)
            {
                case Start:
                    context.Send(echo, new Ping(context.Self));
                    break;
                case Ping ping:
                    if (++_received == calls) done.SetResult(calls);
                    else context.Send(echo, ping);
                    break;
            }
            return Task.CompletedTask;
        }
    }

    sealed class Requester(PID echo, int calls, TaskCompletionSource<int> done) : IActor
    {
        public async Task ReceiveAsync(IContext context)
        {
            if (context.Message is not Start) return;
            var echoed = 0;
            for (var i = 0; i < calls; i++)
                if (ReferenceEquals(await context.RequestAsync<object>(echo, Payload, CancellationToken.None), Payload)) echoed++;
            done.SetResult(echoed);
        }
    }

    sealed class Parent : IActor
    {
        int _waiting;
        TaskCompletionSource<bool>? _done;

        public Task ReceiveAsync(IContext context)
        {
            switch (context.Message)
            {
                case SpawnJob job:
                    _waiting = job.Actors;
                    _done = job.Done;
                    var child = Props.FromProducer(() => new Child());
                    for (var i = 0; i < job.Actors; i++) context.Spawn(child);
                    break;
                case ChildReady:
                    if (--_waiting == 0) _done!.SetResult(true);
                    break;
            }
            return Task.CompletedTask;
        }
    }

    sealed class Child : IActor
    {
        public Task ReceiveAsync(IContext context)
        {
            if (context.Message is Started) context.Send(context.Parent!, ChildReady.Instance);
            return Task.CompletedTask;
        }
    }
}
