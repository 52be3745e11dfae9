using System.Diagnostics;

namespace Skynet.Benchmarks;

/// <summary>
/// What a measured section cost besides time: managed allocations, collections, lock contention, and the
/// process's context switches (a blocked or woken worker is a voluntary switch; read from /proc on Linux).
/// </summary>
internal readonly struct Probe
{
    readonly long _started, _allocated, _contention, _voluntary, _involuntary;
    readonly int _gen0, _gen1, _gen2;
    readonly TimeSpan _cpu;

    Probe(bool _)
    {
        _gen0 = GC.CollectionCount(0);
        _gen1 = GC.CollectionCount(1);
        _gen2 = GC.CollectionCount(2);
        _contention = Monitor.LockContentionCount;
        (_voluntary, _involuntary) = ContextSwitches();
        _cpu = Process.GetCurrentProcess().TotalProcessorTime;
        // Read last: reading /proc and the process above allocates, and that is the probe's cost, not the section's.
        _allocated = GC.GetTotalAllocatedBytes(precise: true);
        _started = Stopwatch.GetTimestamp();
    }

    public static Probe Start()
    {
        AllocationSampler.Reset();
        return new(true);
    }

    public double Seconds => Stopwatch.GetElapsedTime(_started).TotalSeconds;

    /// <summary>Prints the costs of the section per <paramref name="unit"/> (a message, a call, a service...).</summary>
    public Measured Stop(long operations)
    {
        var seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - _allocated;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - _cpu;
        var (voluntary, involuntary) = ContextSwitches();
        return new Measured(
            seconds,
            operations,
            allocated / (double)operations,
            GC.CollectionCount(0) - _gen0,
            GC.CollectionCount(1) - _gen1,
            GC.CollectionCount(2) - _gen2,
            Monitor.LockContentionCount - _contention,
            voluntary - _voluntary,
            involuntary - _involuntary,
            cpu.TotalSeconds / seconds);
    }

    static (long Voluntary, long Involuntary) ContextSwitches()
    {
        long voluntary = 0, involuntary = 0;
        try
        {
            foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                try
                {
                    foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                    {
                        if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal))
                            voluntary += long.Parse(line.AsSpan(24).Trim());
                        else if (line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                            involuntary += long.Parse(line.AsSpan(27).Trim());
                    }
                }
                catch (IOException) { } // the thread ended meanwhile
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return (-1, -1); }
        return (voluntary, involuntary);
    }
}

internal readonly record struct Measured(
    double Seconds, long Operations, double AllocBytesPerOp, int Gen0, int Gen1, int Gen2,
    long LockContentions, long VoluntarySwitches, long InvoluntarySwitches, double CpuCores)
{
    /// <summary>"# name alloc_bytes_per_msg=... gc0=... lock_contentions=... ctxsw_per_op=... cpu_cores=..."</summary>
    public void Report(Run run, string unit, string? label = null)
    {
        run.Comment(label ?? run.Name,
            ($"alloc_bytes_per_{unit}", AllocBytesPerOp),
            ("gc0", Gen0), ("gc1", Gen1), ("gc2", Gen2),
            ("lock_contentions", LockContentions),
            ($"voluntary_ctxsw_per_k{unit}", VoluntarySwitches * 1000.0 / Operations),
            ("involuntary_ctxsw", InvoluntarySwitches),
            ("cpu_cores_busy", CpuCores));
        if (!run.IsWarmup) AllocationSampler.Report(label ?? run.Name);
    }
}
