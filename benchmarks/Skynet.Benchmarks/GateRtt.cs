using Skynet.Gate;

namespace Skynet.Benchmarks;

/// <summary>
/// gate_rtt: one external client (a separate process, <see cref="GateLoadDriver"/>) with one 32-byte netpack frame
/// in flight through the stock <see cref="GateService"/> to its echo agent: p50/p99/p99.9 round trip and the node
/// process's CPU per frame. The RESULT line is the agent writing the reply to its socket directly
/// (<c>Sockets.Write</c>, skynet's <c>socket.write</c>); the <c>gate_rtt_via_gate</c> line is the same agent sending
/// the reply through the gate's <c>"response"</c> command, one more message before the write.
/// </summary>
internal sealed class GateRtt : Benchmark
{
    const int Payload = 32;

    public override string Name => "gate_rtt";

    public override async Task RunAsync(Run run)
    {
        var frames = run.Scale(20_000);
        var direct = await GateLoad.Measure(run, new NetPackEchoAgent(), clients: 1, frames, Payload);
        run.Result(("frames", frames), ("p50_us", direct.P50Us), ("p99_us", direct.P99Us), ("p999_us", direct.P999Us),
            ("server_cpu_us_per_frame", direct.ServerCpuUsPerFrame));
        GateLoad.Report(run, Name, direct);

        var viaGate = await GateLoad.Measure(run, new GateResponseEchoAgent(), clients: 1, frames, Payload);
        run.Comment($"{Name}_via_gate", ("p50_us", viaGate.P50Us), ("p99_us", viaGate.P99Us), ("p999_us", viaGate.P999Us),
            ("server_cpu_us_per_frame", viaGate.ServerCpuUsPerFrame));
        GateLoad.Report(run, $"{Name}_via_gate", viaGate);
    }
}

/// <summary>
/// gate_many: 1 000 external clients (one separate process, lockstep rounds on one blocking thread per core) each
/// with one 32-byte frame in flight, 100 frames each,
/// through the stock gate to 1 000 echo agents writing directly; frames per second and the node's CPU per frame.
/// </summary>
internal sealed class GateMany : Benchmark
{
    const int Clients = 1_000;
    const int Payload = 32;

    public override string Name => "gate_many";

    public override async Task RunAsync(Run run)
    {
        var perClient = run.Scale(100);
        var result = await GateLoad.Measure(run, null, Clients, perClient, Payload);
        run.Result(("clients", Clients), ("frames", result.Frames), ("sec", result.Seconds), ("frames_per_sec", result.Frames / result.Seconds),
            ("server_cpu_us_per_frame", result.ServerCpuUsPerFrame));
        GateLoad.Report(run, Name, result);
    }
}

/// <summary>The node side shared by gate_rtt and gate_many: a gate, a watchdog, one agent per client, the external driver.</summary>
internal static class GateLoad
{
    /// <summary>Runs the driver against a fresh node; <paramref name="agent"/> null means one <see cref="NetPackEchoAgent"/> per client.</summary>
    public static async Task<GateLoadDriver.Result> Measure(Run run, Service? agent, int clients, int framesPerClient, int payload)
    {
        var node = new SkynetNode(new SkynetOptions { Threads = run.Threads });
        node.Start();
        try
        {
            var port = await EchoGate.Open(node, clients, i => agent is not null && i == 0 ? agent : new NetPackEchoAgent(),
                o => { o.MaxClient = clients + 100; o.Backlog = 4096; });
            return await GateLoadDriver.Run(port, clients, framesPerClient, payload);
        }
        finally
        {
            await node.StopAsync();
        }
    }

    public static void Report(Run run, string label, GateLoadDriver.Result r)
    {
        ReportFigures(run, label, r);
        if (!run.IsWarmup) Console.WriteLine($"# {label} server_wakeups_per_frame={Run.Format(r.WakeUpsPerFrame)} by_thread={r.WakeUpsByThread}");
        if (!run.IsWarmup) Console.WriteLine($"# {label} server_cpu_us_per_frame_by_thread={r.CpuUsByThread} alloc_bytes_per_frame={Run.Format(r.AllocBytesPerFrame)}");
    }

    static void ReportFigures(Run run, string label, GateLoadDriver.Result r) => run.Comment(label,
        ("frames", r.Frames), ("sec", r.Seconds), ("frames_per_sec", r.Frames / r.Seconds), ("p50_us", r.P50Us), ("p99_us", r.P99Us),
        ("p999_us", r.P999Us), ("max_us", r.MaxUs), ("server_cores_busy", r.ServerCoresBusy), ("client_cpu_us_per_frame", r.ClientCpuUsPerFrame));
}
