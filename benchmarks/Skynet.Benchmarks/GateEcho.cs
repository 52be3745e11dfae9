using System.Net;
using System.Net.Sockets;
using Skynet.Gate;

namespace Skynet.Benchmarks;

/// <summary>
/// gate_echo: 64 loopback clients, each pipelining batches of small netpack frames through the stock
/// <see cref="GateService"/> to its own echo agent (one agent per client, as skynet's watchdog does). A client keeps
/// four batches (256 frames) in flight. The clients run in this process on 127.0.0.1 and share the two cores with the node.
/// </summary>
internal sealed class GateEcho : Benchmark
{
    const int Clients = 64;
    const int Batch = 64;       // frames per write
    const int Payload = 16;     // bytes per frame
    static readonly int InFlight = int.TryParse(Environment.GetEnvironmentVariable("GATE_ECHO_INFLIGHT"), out var n) ? n : 4; // batches per client on the wire

    public override string Name => "gate_echo";

    public override async Task RunAsync(Run run)
    {
        var batches = Math.Max(2, run.Scale(3_000_000) / (Clients * Batch));
        var frames = (long)Clients * Batch * batches;
        var node = StartNode(run);
        try
        {
            var port = await EchoGate.Open(node, Clients, _ => new NetPackEchoAgent(), o => o.MaxClient = Clients * 2);

            var batch = new byte[Batch * (Payload + 2)];
            for (var f = 0; f < Batch; f++) NetPack.Pack(new byte[Payload]).CopyTo(batch, f * (Payload + 2));
            var sockets = new Socket[Clients];
            for (var i = 0; i < Clients; i++)
            {
                sockets[i] = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await sockets[i].ConnectAsync(IPAddress.Loopback, port);
                await PumpBatches(sockets[i], batch, 1); // forwarded and echoing before the clock starts
            }

            var probe = Probe.Start();
            var pumps = new Task[Clients];
            for (var i = 0; i < Clients; i++) pumps[i] = PumpBatches(sockets[i], batch, batches);
            await Task.WhenAll(pumps);
            var measured = probe.Stop(frames);
            run.Result(("clients", Clients), ("frames", frames), ("sec", measured.Seconds), ("frames_per_sec", frames / measured.Seconds));
            measured.Report(run, "frame");
            foreach (var socket in sockets) socket.Dispose();
        }
        finally
        {
            await node.StopAsync();
        }
        if (!run.IsWarmup)
        {
            var raw = await RawBaseline(batches);
            run.Comment($"{Name}_raw_baseline", ("frames_per_sec", frames / raw));
        }
    }

    /// <summary>
    /// The platform's limit on this box: the same clients against 64 plain async socket loops that write back what
    /// they read (no runtime, no framing, no agents). Returns the seconds taken.
    /// </summary>
    static async Task<double> RawBaseline(int batches)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(128);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var batch = new byte[Batch * (Payload + 2)];
        var clients = new Socket[Clients];
        var servers = new Task[Clients];
        for (var i = 0; i < Clients; i++)
        {
            clients[i] = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            var accepted = listener.AcceptAsync();
            await clients[i].ConnectAsync(IPAddress.Loopback, port);
            var server = await accepted;
            server.NoDelay = true;
            servers[i] = Task.Run(async () =>
            {
                var buffer = new byte[64 * 1024];
                while (true)
                {
                    var n = await server.ReceiveAsync(buffer, SocketFlags.None);
                    if (n == 0) break;
                    await server.SendAsync(buffer.AsMemory(0, n), SocketFlags.None);
                }
                server.Dispose();
            });
        }
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var pumps = new Task[Clients];
        for (var i = 0; i < Clients; i++) pumps[i] = PumpBatches(clients[i], batch, batches);
        await Task.WhenAll(pumps);
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        foreach (var client in clients) client.Shutdown(SocketShutdown.Both);
        await Task.WhenAll(servers);
        foreach (var client in clients) client.Dispose();
        return seconds;
    }

    /// <summary>Sends <paramref name="batches"/> batches keeping <see cref="InFlight"/> on the wire and reads every echoed byte back.</summary>
    internal static async Task PumpBatches(Socket socket, byte[] batch, int batches)
    {
        var receive = new byte[64 * 1024];
        long expected = (long)batch.Length * batches, received = 0;
        var sent = 0;
        while (sent < Math.Min(InFlight, batches))
        {
            await socket.SendAsync(batch, SocketFlags.None);
            sent++;
        }
        while (received < expected)
        {
            var n = await socket.ReceiveAsync(receive, SocketFlags.None);
            Run.Check(n > 0, $"the gate closed a client after {received} of {expected} bytes");
            received += n;
            while (sent < batches && received >= (long)(sent - InFlight + 1) * batch.Length)
            {
                await socket.SendAsync(batch, SocketFlags.None);
                sent++;
            }
        }
        Run.Check(received == expected, $"{received} bytes echoed, {expected} expected");
    }
}
