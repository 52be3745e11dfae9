using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Skynet.Benchmarks;

/// <summary>
/// Diagnostic, off unless <c>SKYNET_BENCH_ALLOC_TYPES=1</c>: listens to the runtime's allocation-tick events (one per
/// ~100 KB allocated, naming the type that crossed the mark) and prints the sampled types after each measured run,
/// so a non-zero bytes-per-op figure can be traced to what allocates without an external profiler.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    const int GcKeyword = 0x1;
    const int AllocationTickEvent = 10;

    static AllocationSampler? s_instance;
    readonly ConcurrentDictionary<string, long> _bytes = new();

    public static bool Enabled => Environment.GetEnvironmentVariable("SKYNET_BENCH_ALLOC_TYPES") == "1";

    public static void Start()
    {
        if (Enabled) s_instance ??= new AllocationSampler();
    }

    /// <summary>Forgets what was sampled so far (a probe starts).</summary>
    public static void Reset() => s_instance?._bytes.Clear();

    /// <summary>Prints "# alloc_types label type=bytes ..." for what was sampled since the last call, then forgets it.</summary>
    public static void Report(string label)
    {
        if (s_instance is not { } sampler) return;
        var top = sampler._bytes.OrderByDescending(p => p.Value).Take(8).ToArray();
        sampler._bytes.Clear();
        Console.WriteLine($"# alloc_types {label} {string.Join(' ', top.Select(p => $"{p.Key}={p.Value}"))}");
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, (EventKeywords)GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventId != AllocationTickEvent || e.Payload is null || e.PayloadNames is null) return;
        var name = e.PayloadNames.IndexOf("TypeName") is var i and >= 0 ? e.Payload[i] as string ?? "?" : "?";
        var amount = e.PayloadNames.IndexOf("AllocationAmount64") is var j and >= 0 ? Convert.ToInt64(e.Payload[j]) : 100_000;
        _bytes.AddOrUpdate(name.Replace(' ', '_'), amount, (_, b) => b + amount);
    }
}
