using Akka.Actor;
using Akka.Configuration;

namespace Skynet.Benchmarks.Peers;

/// <summary>
/// The Akka.NET side, written as Akka's own src/benchmark does it: <c>ReceiveActor</c>s, a fresh
/// <c>ActorSystem</c> per measurement, ping-pong by <c>Tell</c> + reply message (PingPongBenchmarks), spawn by a
/// parent whose children report from <c>PreStart</c> (SpawnActorBenchmarks). Completion is a
/// <c>TaskCompletionSource</c> carried in the start message, so no <c>Ask</c> sits in the timed path unless the
/// variant is the Ask one.
/// </summary>
internal static class AkkaWorkloads
{
    const string System = "akka";
    static readonly object Payload = "ping";

    /// <summary>Akka's default dispatcher, and the same with the .NET thread pool as executor.</summary>
    static readonly (string Suffix, string Hocon)[] Dispatchers =
    [
        ("", ""),
        ("_threadpool", "akka.actor.default-dispatcher.executor = thread-pool-executor"),
    ];

    public static IEnumerable<Variant> All()
    {
        foreach (var (suffix, hocon) in Dispatchers)
        {
            yield return new("send_1to1", System, "tell" + suffix, "msgs_per_sec", true, Sizes.Messages, n => Send(n, hocon));
            yield return new("call_rtt", System, "pinger" + suffix, "us_per_call", false, Sizes.Calls, n => PingPairs(n, 1, hocon));
            if (suffix == "") yield return new("call_rtt", System, "ask", "us_per_call", false, Sizes.Calls, n => AskPairs(n, 1, hocon));
            yield return new("call_pairs", System, "pinger" + suffix, "calls_per_sec", true, Sizes.Calls, n => PingPairs(n, Sizes.Pairs, hocon));
            if (suffix == "") yield return new("call_pairs", System, "ask", "calls_per_sec", true, Sizes.Calls, n => AskPairs(n, Sizes.Pairs, hocon));
            yield return new("spawn", System, "actor_of" + suffix, "us_per_spawn", false, Sizes.Actors, n => Spawn(n, hocon));
        }
    }

    static ActorSystem NewSystem(string hocon) => ActorSystem.Create("peers", ConfigurationFactory.ParseString(
        hocon + "\nakka.loglevel = WARNING\nakka.stdout-loglevel = WARNING\nakka.suppress-json-serializer-warning = on"));

    static async Task<Sample> Send(int messages, string hocon)
    {
        using var system = NewSystem(hocon);
        var sink = system.ActorOf(Props.Create(() => new Sink()));
        var sender = system.ActorOf(Props.Create(() => new Sender()));
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = Probe.Start();
        sender.Tell(new SendJob(sink, messages, done));
        var count = await done.Task.WaitAsync(Sizes.Deadline);
        var measured = probe.Stop(messages);
        Run.Check(count == messages, $"akka: the sink counted {count} messages, {messages} were sent");
        await system.Terminate();
        return new(messages / measured.Seconds, measured.AllocBytesPerOp);
    }

    /// <summary>Tell + reply message: the caller sends the next ping when the pong arrives (one in flight per pair).</summary>
    static Task<Sample> PingPairs(int size, int pairs, string hocon) =>
        Pairs(size, pairs, hocon, (echo, calls, done) => Props.Create(() => new Pinger(echo, calls, done)));

    /// <summary>Awaited <c>Ask</c> from inside a <c>ReceiveAsync</c> handler (no timeout, so no timer per request).</summary>
    static Task<Sample> AskPairs(int size, int pairs, string hocon) =>
        Pairs(size, pairs, hocon, (echo, calls, done) => Props.Create(() => new Asker(echo, calls, done)));

    static async Task<Sample> Pairs(int size, int pairs, string hocon, Func<IActorRef, int, TaskCompletionSource<int>, Props> caller)
    {
        var perPair = size / pairs;
        var calls = perPair * pairs;
        using var system = NewSystem(hocon);
        var callers = new IActorRef[pairs];
        var done = new TaskCompletionSource<int>[pairs];
        for (var i = 0; i < pairs; i++)
        {
            var echo = system.ActorOf(Props.Create(() => new Echo()));
            done[i] = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            callers[i] = system.ActorOf(caller(echo, perPair, done[i]));
        }
        var probe = Probe.Start();
        foreach (var c in callers) c.Tell(Start.Instance);
        var echoed = await Task.WhenAll(done.Select(d => d.Task)).WaitAsync(Sizes.Deadline);
        var measured = probe.Stop(calls);
        Run.Check(echoed.Sum() == calls, $"akka: {echoed.Sum()} of {calls} calls came back with their payload");
        await system.Terminate();
        return pairs == 1 ? new(measured.Seconds * 1e6 / calls, measured.AllocBytesPerOp) : new(calls / measured.Seconds, measured.AllocBytesPerOp);
    }

    static async Task<Sample> Spawn(int actors, string hocon)
    {
        using var system = NewSystem(hocon);
        var parent = system.ActorOf(Props.Create(() => new Parent()));
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var heapBefore = await Heap.SettledBytes();
        var probe = Probe.Start();
        parent.Tell(new SpawnJob(actors, done));
        await done.Task.WaitAsync(Sizes.Deadline);
        var measured = probe.Stop(actors);
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(parent);
        await system.Terminate();
        return new(measured.Seconds * 1e6 / actors, measured.AllocBytesPerOp, (heapAfter - heapBefore) / (double)actors);
    }

    sealed record SendJob(IActorRef Sink, int Messages, TaskCompletionSource<long> Done);
    sealed record CountQuery(TaskCompletionSource<long> Done);
    sealed record SpawnJob(int Actors, TaskCompletionSource<bool> Done);
    sealed record Signal(int Remaining);

    sealed class Start
    {
        public static readonly Start Instance = new();
    }

    sealed class ChildReady
    {
        public static readonly ChildReady Instance = new();
    }

    sealed class Sink : ReceiveActor
    {
        long _count;

        public Sink()
        {
            Receive<CountQuery>(q => q.Done.SetResult(_count));
            ReceiveAny(_ => _count++);
        }
    }

    sealed class Sender : ReceiveActor
    {
        public Sender() => Receive<SendJob>(job =>
        {
            for (var i = 0; i < job.Messages; i++) job.Sink.Tell(Payload, Self);
            job.Sink.Tell(new CountQuery(job.Done), Self); // queued behind the messages: the count is final
        });
    }

    sealed class Echo : ReceiveActor
    {
        public Echo()
        {
            Receive<Signal>(s => Sender.Tell(new Signal(s.Remaining - 1)));
            ReceiveAny(m => Sender.Tell(m));
        }
    }

    sealed class Pinger : ReceiveActor
    {
        public Pinger(IActorRef echo, int calls, TaskCompletionSource<int> done)
        {
            Receive<Start>(_ => echo.Tell(new Signal(calls * 2), Self)); // the echo and the pinger each count one down
            Receive<Signal>(s =>
            {
                if (s.Remaining <= 1) done.SetResult(calls);
                else Sender.Tell(new Signal(s.Remaining - 1));
            });
        }
    }

    sealed class Asker : ReceiveActor
    {
        public Asker(IActorRef echo, int calls, TaskCompletionSource<int> done) => ReceiveAsync<Start>(async _ =>
        {
            var echoed = 0;
            for (var i = 0; i < calls; i++)
                if (ReferenceEquals(await echo.Ask<object>(Payload), Payload)) echoed++;
            done.SetResult(echoed);
        });
    }

    sealed class Parent : ReceiveActor
    {
        int _waiting;
        TaskCompletionSource<bool>? _done;

        public Parent()
        {
            Receive<SpawnJob>(job =>
            {
                _waiting = job.Actors;
                _done = job.Done;
                for (var i = 0; i < job.Actors; i++) Context.ActorOf(Child.Props);
            });
            Receive<ChildReady>(_ =>
            {
                if (--_waiting == 0) _done!.SetResult(true);
            });
        }
    }

    sealed class Child : ReceiveActor
    {
        public static readonly Props Props = Props.Create<Child>();

        public Child() => ReceiveAny(_ => { });

        protected override void PreStart() => Context.Parent.Tell(ChildReady.Instance);
    }
}
