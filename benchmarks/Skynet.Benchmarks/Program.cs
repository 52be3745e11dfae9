using System.Runtime;
using Skynet.Benchmarks;

// Usage: dotnet run -c Release --project benchmarks/Skynet.Benchmarks -- [core|gate|all|<name>...]
if (args is ["gate_clients_driver", ..]) return await GateClients.Driver(args); // gate_clients' client process
if (args is [GateLoadDriver.Command, ..]) return await GateLoadDriver.Serve(args); // gate_rtt's and gate_many's client process
if (TcpFloor.IsChild) return await TcpFloor.Serve(); // tcp_floor's echo process
// stdout carries only "RESULT ..." lines and "# ..." comment lines; failures go to stderr with a non-zero exit code.
Benchmark[] core =
[
    new SendOneToOne(),
    new CallRtt(),
    new CallPairs(),
    new Spawn(),
    new SnaxPost(),
    new SnaxReq(),
    new SnaxPack(),
    new BaselineQueue(),
    new IdleCpu(),
];
Benchmark[] gate =
[
    new GateEcho(),
    new GateConnect(),
    new WsEcho(),
    new LoginHandshakes(),
    new GateClients(),
    new GateRtt(),
    new GateMany(),
];

var selected = new List<Benchmark>();
foreach (var arg in args.Length == 0 ? ["core"] : args)
{
    switch (arg)
    {
        case "core":
            selected.AddRange(core);
            break;
        case "gate":
            selected.AddRange(gate);
            break;
        case "multicast": // issue 13: multicast fan-out, snowflake ids, shared tables
            selected.AddRange([new MulticastFanout(), new SnowflakeIds(), new SharedDataReaders()]);
            break;
        case "cluster":
            if (ClusterServer.IsChild) return await ClusterServer.Serve();
            selected.AddRange([new ClusterCall(), new ClusterPipelined(), new ClusterLarge(), new TcpFloor()]);
            break;
        case "tcp_floor": // the loopback round trip under cluster_call, without any runtime
            selected.Add(new TcpFloor());
            break;
        case "all":
            selected.AddRange(core);
            selected.AddRange(gate);
            break;
        default:
            var match = core.Concat(gate).FirstOrDefault(b => b.Name == arg);
            if (match is null)
            {
                Console.Error.WriteLine($"unknown benchmark '{arg}'; known: core, gate, all, {string.Join(", ", core.Concat(gate).Select(b => b.Name))}");
                return 2;
            }
            selected.Add(match);
            break;
    }
}

var threads = Environment.ProcessorCount;
Console.WriteLine($"# threads={threads} runtime={System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription} " +
                  $"os={System.Runtime.InteropServices.RuntimeInformation.OSDescription.Replace(' ', '_')} " +
                  $"gc={(GCSettings.IsServerGC ? "server" : "workstation")} gc_latency={GCSettings.LatencyMode}");

AllocationSampler.Start();
var failed = false;
foreach (var benchmark in selected.Distinct())
{
    try
    {
        var warmup = new Run(benchmark.Name, threads, warmup: true);
        await benchmark.RunAsync(warmup).WaitAsync(Run.Deadline);
        var measured = new Run(benchmark.Name, threads, warmup: false);
        await benchmark.RunAsync(measured).WaitAsync(Run.Deadline);
    }
    catch (Exception ex)
    {
        failed = true;
        Console.Out.Flush();
        Console.Error.WriteLine($"FAILED {benchmark.Name}: {ex}");
    }
}
return failed ? 1 : 0;
