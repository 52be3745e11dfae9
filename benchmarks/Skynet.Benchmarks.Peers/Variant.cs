namespace Skynet.Benchmarks.Peers;

/// <summary>What one measurement of a variant gives: the figure, the managed allocation per operation, and for spawn the heap growth per actor.</summary>
internal readonly record struct Sample(double Value, double AllocBytesPerOp, double? BytesPerActor = null);

/// <summary>
/// One workload on one system, written one way. <paramref name="Measure"/> builds a fresh system, runs
/// <c>size</c> operations and returns the figure; the runner calls it once at a tenth of the size as warm-up.
/// </summary>
internal sealed record Variant(
    string Figure, string System, string Name, string Key, bool HigherIsBetter, int Size, Func<int, Task<Sample>> Measure);

/// <summary>The four workloads, each with the same size on every system.</summary>
internal static class Sizes
{
    public const int Messages = 1_000_000;
    public const int Calls = 200_000;
    public const int Pairs = 64;
    public const int Actors = 10_000;

    /// <summary>A reply that does not arrive within this is a hang, not a figure.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);
}
