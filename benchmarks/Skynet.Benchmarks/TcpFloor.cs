using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Skynet.Benchmarks;

/// <summary>
/// The floor under <c>cluster_call</c> on this machine: a 32-byte ping-pong between two processes over loopback TCP
/// with no runtime at all. The echo process is plain .NET, once with a blocking loop and once with the
/// <c>await ReceiveAsync</c>/<c>SendAsync</c> loop any .NET server (ours included) uses; the caller blocks. A cluster
/// call crosses this path once each way plus both nodes' services, so it cannot be faster than this figure.
/// </summary>
internal sealed class TcpFloor : Benchmark
{
    public const string ServeVariable = "SKYNET_BENCH_TCP_ECHO";
    const int Payload = 32;

    public override string Name => "tcp_floor";

    public static bool IsChild => Environment.GetEnvironmentVariable(ServeVariable) is "blocking" or "async";

    public override async Task RunAsync(Run run)
    {
        var roundTrips = run.Scale(20_000);
        foreach (var variant in new[] { "async", "blocking" })
        {
            var (process, port) = await StartEcho(variant);
            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
                var buffer = new byte[Payload];
                for (var i = 0; i < 200; i++) PingPong(socket, buffer);
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < roundTrips; i++) PingPong(socket, buffer);
                var us = clock.Elapsed.TotalMicroseconds / roundTrips;
                // The async echo is the floor a .NET node meets; the blocking one shows what the kernel alone costs.
                if (variant == "async") run.Result(("round_trips", roundTrips), ("us_per_roundtrip", us));
                else run.Comment("tcp_floor_blocking_echo", ("round_trips", roundTrips), ("us_per_roundtrip", us));
            }
            finally
            {
                process.StandardInput.Close();
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
                process.Dispose();
            }
        }
    }

    static void PingPong(Socket socket, byte[] buffer)
    {
        socket.Send(buffer);
        for (var got = 0; got < buffer.Length;)
        {
            var n = socket.Receive(buffer, got, buffer.Length - got, SocketFlags.None);
            if (n == 0) throw new BenchmarkFailedException("the echo process closed the connection");
            got += n;
        }
    }

    static async Task<(Process Process, int Port)> StartEcho(string variant)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") start.ArgumentList.Add(typeof(TcpFloor).Assembly.Location);
        start.ArgumentList.Add("tcp_floor");
        start.Environment[ServeVariable] = variant;
        var process = Process.Start(start) ?? throw new BenchmarkFailedException("the echo process did not start");
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (line is null || !line.StartsWith("PORT ", StringComparison.Ordinal))
            throw new BenchmarkFailedException($"the echo process said '{line}' instead of its port");
        return (process, int.Parse(line.AsSpan(5)));
    }

    /// <summary>The echo process's main: one connection, echoed until it closes.</summary>
    public static async Task<int> Serve()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        Console.WriteLine($"PORT {((IPEndPoint)listener.LocalEndPoint!).Port}");
        Console.Out.Flush();
        using var connection = await listener.AcceptAsync();
        connection.NoDelay = true;
        var buffer = new byte[64 * 1024];
        var blocking = Environment.GetEnvironmentVariable(ServeVariable) == "blocking";
        while (true)
        {
            var n = blocking ? connection.Receive(buffer) : await connection.ReceiveAsync(buffer.AsMemory(), SocketFlags.None);
            if (n == 0) break;
            if (blocking) connection.Send(buffer, n, SocketFlags.None);
            else await connection.SendAsync(buffer.AsMemory(0, n), SocketFlags.None);
        }
        await Console.In.ReadToEndAsync();
        return 0;
    }
}
