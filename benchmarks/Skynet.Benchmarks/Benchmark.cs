namespace Skynet.Benchmarks;

/// <summary>One figure of the harness. <see cref="RunAsync"/> is called twice: a smaller warm-up, then the measured run.</summary>
internal abstract class Benchmark
{
    public abstract string Name { get; }

    public abstract Task RunAsync(Run run);

    /// <summary>A node with one worker per core, as the figures in DESIGN section 8 are measured.</summary>
    protected static SkynetNode StartNode(Run run, int? threads = null)
    {
        var node = new SkynetNode(new SkynetOptions { Threads = threads ?? run.Threads });
        node.Start();
        return node;
    }
}

/// <summary>A correctness check failed: the figure is meaningless and the run exits non-zero.</summary>
internal sealed class BenchmarkFailedException(string message) : Exception(message);
