namespace Skynet.Benchmarks;

/// <summary>
/// spawn: starts idle services in batches (each batch awaited together) and keeps them all alive; the bytes per
/// service are the growth of the managed heap after a full collection, divided by the count.
/// </summary>
internal sealed class Spawn : Benchmark
{
    const int Batch = 100;

    public override string Name => "spawn";

    public override async Task RunAsync(Run run)
    {
        var services = run.Scale(10_000);
        var node = StartNode(run);
        try
        {
            var addresses = new Address[services];
            var batch = new Task<Address>[Batch];
            var baseline = node.ServiceCount;
            var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            var probe = Probe.Start();
            for (var started = 0; started < services; started += Batch)
            {
                var size = Math.Min(Batch, services - started);
                for (var i = 0; i < size; i++) batch[i] = node.NewService(new IdleService());
                for (var i = 0; i < size; i++) addresses[started + i] = await batch[i];
            }
            var measured = probe.Stop(services);
            var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
            Run.Check(node.ServiceCount - baseline == services, $"{node.ServiceCount - baseline} services alive, {services} were started");
            Run.Check(addresses.Distinct().Count() == services, "two services got the same address");
            var bytesPerService = (heapAfter - heapBefore) / (double)services;
            run.Result(("services", services), ("sec", measured.Seconds), ("us_per_spawn", measured.Seconds * 1e6 / services),
                       ("bytes_per_service", bytesPerService));
            measured.Report(run, "service");
            GC.KeepAlive(addresses);
        }
        finally
        {
            await node.StopAsync();
        }
    }
}
