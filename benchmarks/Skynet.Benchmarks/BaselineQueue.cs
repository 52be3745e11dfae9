using System.Collections.Concurrent;

namespace Skynet.Benchmarks;

/// <summary>
/// baseline_queue: the platform's limit for handing items from one thread to another, without any runtime:
/// a producer thread enqueues ints into a <see cref="ConcurrentQueue{T}"/>, a consumer thread spins on TryDequeue.
/// Diagnostic line: two threads ping-ponging through one spinning volatile field (the floor of a cross-thread
/// round trip, to set beside call_rtt).
/// </summary>
internal sealed class BaselineQueue : Benchmark
{
    public override string Name => "baseline_queue";

    public override Task RunAsync(Run run)
    {
        var items = run.Scale(20_000_000);
        var queue = new ConcurrentQueue<int>();
        long sum = 0;
        var start = new ManualResetEventSlim();
        var consumer = new Thread(() =>
        {
            start.Wait();
            long local = 0;
            var spinner = new SpinWait();
            for (var received = 0; received < items;)
            {
                if (queue.TryDequeue(out var item)) { local += item; received++; }
                else spinner.SpinOnce(sleep1Threshold: -1);
            }
            sum = local;
        }) { IsBackground = true, Name = "baseline-consumer" };
        var producer = new Thread(() =>
        {
            start.Wait();
            for (var i = 0; i < items; i++) queue.Enqueue(i);
        }) { IsBackground = true, Name = "baseline-producer" };
        consumer.Start();
        producer.Start();
        var probe = Probe.Start();
        start.Set();
        producer.Join();
        consumer.Join();
        var measured = probe.Stop(items);
        Run.Check(sum == (long)items * (items - 1) / 2, $"the consumer summed {sum}, expected {(long)items * (items - 1) / 2}");
        run.Result(("items", items), ("items_per_sec", items / measured.Seconds));
        measured.Report(run, "item");

        var trips = run.Scale(2_000_000);
        var seconds = PingPong(trips);
        run.Comment("baseline_pingpong", ("roundtrips", trips), ("us_per_roundtrip", seconds * 1e6 / trips));
        return Task.CompletedTask;
    }

    static double PingPong(int trips)
    {
        var box = new StrongBox();
        var ponger = new Thread(() =>
        {
            for (var i = 1; i <= trips; i++)
            {
                while (Volatile.Read(ref box.Ping) != i) Thread.SpinWait(1);
                Volatile.Write(ref box.Pong, i);
            }
        }) { IsBackground = true, Name = "baseline-ponger" };
        ponger.Start();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var i = 1; i <= trips; i++)
        {
            Volatile.Write(ref box.Ping, i);
            while (Volatile.Read(ref box.Pong) != i) Thread.SpinWait(1);
        }
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        ponger.Join();
        return seconds;
    }

    // Ping and Pong on separate cache lines.
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit, Size = 256)]
    sealed class StrongBox
    {
        [System.Runtime.InteropServices.FieldOffset(64)] public int Ping;
        [System.Runtime.InteropServices.FieldOffset(192)] public int Pong;
    }
}
