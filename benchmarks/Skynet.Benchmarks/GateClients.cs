using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Skynet.Gate;
using Skynet.Net;

namespace Skynet.Benchmarks;

/// <summary>
/// gate_clients: 10 000 concurrent TCP clients on 127.0.0.1, each sending one small netpack frame a second for 30 s
/// through the stock <see cref="GateService"/> to its own echo agent (one agent per client, as skynet's watchdog does).
/// Reports the p99 round trip and the node's resident memory. The clients run in a child process (this program
/// with <c>gate_clients_driver</c>), since 20 000 descriptors in one process would not fit this box's limit of 20 000;
/// both processes raise their soft descriptor limit to the hard one.
/// </summary>
internal sealed class GateClients : Benchmark
{
    const string DriverCommand = "gate_clients_driver";

    public override string Name => "gate_clients";

    public override async Task RunAsync(Run run)
    {
        var clients = run.Scale(10_000);
        var seconds = run.IsWarmup ? 3 : 30;
        var node = StartNode(run);
        try
        {
            var port = await EchoGate.Open(node, clients, _ => new NetPackEchoAgent(), o => { o.MaxClient = clients + 100; o.Backlog = 4096; });

            var peakRss = 0L;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
                while (await timer.WaitForNextTickAsync(sampling.Token).ConfigureAwait(false))
                    peakRss = Math.Max(peakRss, CurrentRss());
            });
            var result = await RunDriver(port, clients, seconds);
            sampling.Cancel();
            try { await sampler; } catch (OperationCanceledException) { }
            peakRss = Math.Max(peakRss, CurrentRss());

            Run.Check(result.Errors == 0, $"{result.Errors} clients failed (connect, send or echo)");
            Run.Check(result.Echoed >= (long)clients * (seconds - 1), $"only {result.Echoed} echoes for {clients} clients over {seconds} s");
            run.Result(("clients", clients), ("echo_p99_ms", result.P99Ms), ("rss_mb", peakRss / (1024.0 * 1024.0)));
            run.Comment(("echoes", result.Echoed), ("echo_p50_ms", result.P50Ms), ("echo_max_ms", result.MaxMs), ("seconds", seconds),
                ("connect_sec", result.ConnectSeconds), ("descriptor_limit", DescriptorBudget.Process.Limit));
        }
        finally
        {
            await node.StopAsync();
        }
    }

    /// <summary>Resident set size: <c>VmRSS</c> from /proc on Linux, the working set elsewhere.</summary>
    static long CurrentRss()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException) { }
        return Environment.WorkingSet;
    }

    sealed record DriverResult(long Echoed, long Errors, double P50Ms, double P99Ms, double MaxMs, double ConnectSeconds);

    static async Task<DriverResult> RunDriver(int port, int clients, int seconds)
    {
        var self = Environment.ProcessPath!;
        var info = Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? new ProcessStartInfo(self, [typeof(GateClients).Assembly.Location, DriverCommand, port.ToString(CultureInfo.InvariantCulture), clients.ToString(CultureInfo.InvariantCulture), seconds.ToString(CultureInfo.InvariantCulture)])
            : new ProcessStartInfo(self, [DriverCommand, port.ToString(CultureInfo.InvariantCulture), clients.ToString(CultureInfo.InvariantCulture), seconds.ToString(CultureInfo.InvariantCulture)]);
        info.RedirectStandardOutput = true;
        info.UseShellExecute = false;
        using var driver = Process.Start(info)!;
        string? last = null;
        while (await driver.StandardOutput.ReadLineAsync() is { } line) last = line;
        await driver.WaitForExitAsync();
        Run.Check(driver.ExitCode == 0 && last is not null && last.StartsWith("DRIVER ", StringComparison.Ordinal), $"the client driver failed (exit {driver.ExitCode}): {last}");
        var values = last!.Split(' ').Skip(1).Select(p => p.Split('=')).ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));
        return new DriverResult((long)values["echoed"], (long)values["errors"], values["p50_ms"], values["p99_ms"], values["max_ms"], values["connect_sec"]);
    }

    /// <summary>The child process: connects the clients, runs them and prints one <c>DRIVER ...</c> line.</summary>
    public static async Task<int> Driver(string[] args)
    {
        var port = int.Parse(args[1], CultureInfo.InvariantCulture);
        var clients = int.Parse(args[2], CultureInfo.InvariantCulture);
        var seconds = int.Parse(args[3], CultureInfo.InvariantCulture);
        DescriptorLimit.RaiseSoftToHard();
        ThreadPool.SetMinThreads(Environment.ProcessorCount * 4, Environment.ProcessorCount * 4);

        var connectWatch = Stopwatch.StartNew();
        var sockets = new Socket[clients];
        var next = -1;
        var errors = 0L;
        await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < clients)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(IPAddress.Loopback, port);
                sockets[i] = socket;
            }
        })));
        var connectSeconds = connectWatch.Elapsed.TotalSeconds;

        var latencies = new long[clients][];
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency; // every client starts within the next second
        await Task.WhenAll(Enumerable.Range(0, clients).Select(i => Task.Run(async () =>
        {
            try
            {
                latencies[i] = await Client(sockets[i], start + Stopwatch.Frequency * i / clients, seconds);
            }
            catch (Exception ex) when (ex is SocketException or IOException or InvalidDataException)
            {
                Interlocked.Increment(ref errors);
                latencies[i] = [];
            }
        })));
        foreach (var socket in sockets) socket.Dispose();

        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        double Percentile(double p) => all.Length == 0 ? double.NaN : Ms(all[Math.Min(all.Length - 1, (int)(all.Length * p))]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"DRIVER echoed={all.Length} errors={errors} p50_ms={Percentile(0.50):F3} p99_ms={Percentile(0.99):F3} max_ms={(all.Length == 0 ? double.NaN : Ms(all[^1])):F3} connect_sec={connectSeconds:F3}"));
        return 0;
    }

    /// <summary>One client: a 10-byte frame (its send time) at <paramref name="first"/> and then once a second; returns the round trips.</summary>
    static async Task<long[]> Client(Socket socket, long first, int seconds)
    {
        var frame = new byte[2 + 8];
        var echo = new byte[frame.Length];
        var rtts = new long[seconds];
        for (var k = 0; k < seconds; k++)
        {
            var due = first + k * Stopwatch.Frequency;
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            var sent = Stopwatch.GetTimestamp();
            NetPack.Pack(BitConverter.GetBytes(sent)).CopyTo(frame, 0);
            await socket.SendAsync(frame, SocketFlags.None);
            var read = 0;
            while (read < echo.Length)
            {
                var n = await socket.ReceiveAsync(echo.AsMemory(read), SocketFlags.None);
                if (n == 0) throw new InvalidDataException("the gate closed the client");
                read += n;
            }
            if (BinaryPrimitives.ReadInt64LittleEndian(echo.AsSpan(2)) != sent) throw new InvalidDataException("a wrong echo");
            rtts[k] = Stopwatch.GetTimestamp() - sent;
        }
        return rtts;
    }
}
