using System.Net;
using System.Net.Sockets;
using Skynet.Gate;

namespace Skynet.Benchmarks;

/// <summary>
/// gate_connect: loopback clients connect to the stock <see cref="GateService"/>, send one frame, read its echo (so
/// the watchdog's open notice and the forward have happened) and hang up; 8 connectors run at once.
/// </summary>
internal sealed class GateConnect : Benchmark
{
    const int Connectors = 8;

    public override string Name => "gate_connect";

    public override async Task RunAsync(Run run)
    {
        var perConnector = Math.Max(1, run.Scale(8_000) / Connectors);
        var connects = perConnector * Connectors;
        var node = StartNode(run);
        try
        {
            var port = await EchoGate.Open(node, 8, _ => new NetPackEchoAgent(), o => o.Backlog = 512);
            var frame = NetPack.Pack("hello"u8);

            var probe = Probe.Start();
            var workers = new Task[Connectors];
            for (var i = 0; i < Connectors; i++) workers[i] = Connect(port, frame, perConnector);
            await Task.WhenAll(workers);
            var measured = probe.Stop(connects);
            run.Result(("connects", connects), ("sec", measured.Seconds), ("connects_per_sec", connects / measured.Seconds));
            measured.Report(run, "connect");
        }
        finally
        {
            await node.StopAsync();
        }
    }

    static async Task Connect(int port, byte[] frame, int count)
    {
        var echo = new byte[frame.Length];
        for (var i = 0; i < count; i++)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(IPAddress.Loopback, port);
            await socket.SendAsync(frame, SocketFlags.None);
            var read = 0;
            while (read < echo.Length)
            {
                var n = await socket.ReceiveAsync(echo.AsMemory(read), SocketFlags.None);
                Run.Check(n > 0, "the gate closed a client before echoing");
                read += n;
            }
            socket.LingerState = new LingerOption(true, 0); // reset: no TIME_WAIT pile-up over thousands of connects
        }
    }
}
