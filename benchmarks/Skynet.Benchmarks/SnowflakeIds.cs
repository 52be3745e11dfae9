using Skynet.Toolkit;

namespace Skynet.Benchmarks;

/// <summary>
/// snowflake_ids: one service makes ids with one <see cref="Snowflake"/> (default layout: 1 ms ticks, 12 sequence bits,
/// so above 4.1 M ids/s it borrows ticks instead of waiting) and checks they strictly increase. Timed inside the service.
/// A comment line adds the same generator shared by two threads.
/// </summary>
internal sealed class SnowflakeIds : Benchmark
{
    public override string Name => "snowflake_ids";

    public override async Task RunAsync(Run run)
    {
        var ids = run.Scale(20_000_000);
        var node = StartNode(run);
        try
        {
            var maker = await node.NewService(new IdMaker());
            var probe = Probe.Start();
            var seconds = (double)(await node.Call(maker, PType.Lua, ids))!;
            var measured = probe.Stop(ids);
            run.Result(("ids", ids), ("sec", seconds), ("ids_per_sec", ids / seconds));
            measured.Report(run, "id"); // cpu_cores_busy near 1 means the service had its core; less, that the box was loaded
            run.Comment($"{Name}_per_cpu", ("ids_per_cpu_sec", ids / (measured.Seconds * measured.CpuCores)));
        }
        finally
        {
            await node.StopAsync();
        }

        var shared = new Snowflake(1, 2);
        var sharedProbe = Probe.Start();
        Parallel.For(0, 2, _ =>
        {
            for (var i = 0; i < ids / 2; i++) shared.NextId();
        });
        run.Comment($"{Name}_2threads_shared", ("ids_per_sec", ids / sharedProbe.Seconds));
    }

    sealed class IdMaker : Service
    {
        protected override ValueTask OnStart(object?[] args)
        {
            Dispatch(PType.Lua, m =>
            {
                var count = (int)m.Payload!;
                var generator = new Snowflake(1, 1);
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var last = 0L;
                for (var i = 0; i < count; i++)
                {
                    var id = generator.NextId();
                    if (id <= last) throw new BenchmarkFailedException($"id {id} after {last}");
                    last = id;
                }
                Ret(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
                return default;
            });
            return default;
        }
    }
}
