using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Skynet.Gate;

namespace Skynet.Benchmarks;

/// <summary>
/// The external load generator of gate_rtt and gate_many: this program started again as a child process
/// (<c>gate_load_driver port clients frames payload</c>), so the clients never share the node's process, heap or
/// thread pool. Each client keeps one netpack frame in flight and checks every echo. The parent learns from a
/// <c>START</c> line when the measured part begins (after connecting and a warm-up) and reads the figures from the
/// final <c>DRIVER ...</c> line; the server's CPU is measured by the parent between the two lines.
/// </summary>
internal static class GateLoadDriver
{
    public const string Command = "gate_load_driver";

    public sealed record Result(long Frames, double Seconds, double P50Us, double P99Us, double P999Us, double MaxUs,
        double ClientCpuUsPerFrame, double ServerCpuUsPerFrame, double ServerCoresBusy, double WakeUpsPerFrame, string WakeUpsByThread,
        string CpuUsByThread, double AllocBytesPerFrame);

    /// <summary>Runs the driver against <paramref name="port"/> and measures this process's CPU while it runs.</summary>
    public static async Task<Result> Run(int port, int clients, int framesPerClient, int payload)
    {
        string[] arguments = [Command, .. new[] { port, clients, framesPerClient, payload }.Select(v => v.ToString(CultureInfo.InvariantCulture))];
        var self = Environment.ProcessPath!;
        var info = Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? new ProcessStartInfo(self, [typeof(GateLoadDriver).Assembly.Location, .. arguments])
            : new ProcessStartInfo(self, arguments);
        info.RedirectStandardOutput = true;
        info.UseShellExecute = false;
        using var driver = Process.Start(info)!;
        using var server = Process.GetCurrentProcess();
        TimeSpan cpuAtStart = default;
        Dictionary<string, long> sleepsAtStart = [];
        Dictionary<string, long> cpuByThreadAtStart = [];
        long allocatedAtStart = 0;
        long startedAt = 0;
        string? last = null;
        while (await driver.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line == "START")
            {
                server.Refresh();
                cpuAtStart = server.TotalProcessorTime;
                sleepsAtStart = Sleeps();
                cpuByThreadAtStart = RunTimes();
                allocatedAtStart = GC.GetTotalAllocatedBytes(precise: true);
                startedAt = Stopwatch.GetTimestamp();
            }
            else if (line.StartsWith("DRIVER ", StringComparison.Ordinal))
            {
                server.Refresh();
                var cpu = server.TotalProcessorTime - cpuAtStart;
                var sleeps = Sleeps();
                var cpuByThread = RunTimes();
                var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedAtStart;
                var wall = Stopwatch.GetElapsedTime(startedAt);
                last = line;
                var values = line.Split(' ').Skip(1).Select(p => p.Split('=')).ToDictionary(p => p[0], p => double.Parse(p[1], CultureInfo.InvariantCulture));
                var frames = (long)values["frames"];
                await driver.WaitForExitAsync();
                Benchmarks.Run.Check(driver.ExitCode == 0 && values["errors"] == 0, $"the load driver failed (exit {driver.ExitCode}): {line}");
                Benchmarks.Run.Check(frames == (long)clients * framesPerClient, $"{frames} frames echoed, {(long)clients * framesPerClient} sent");
                return new Result(frames, values["sec"], values["p50_us"], values["p99_us"], values["p999_us"], values["max_us"],
                    values["client_cpu_us_per_frame"], cpu.TotalMicroseconds / frames, cpu.TotalSeconds / wall.TotalSeconds,
                    (double)(sleeps.Values.Sum() - sleepsAtStart.Values.Sum()) / frames, PerFrame(sleepsAtStart, sleeps, frames),
                    PerFrame(cpuByThreadAtStart, cpuByThread, frames * 1_000L), (double)allocated / frames);
            }
        }
        await driver.WaitForExitAsync();
        throw new BenchmarkFailedException($"the load driver ended without a result (exit {driver.ExitCode}): {last}");
    }

    /// <summary>
    /// Voluntary context switches of this process's threads, summed by thread name (digits dropped): each is a thread
    /// that blocked and was later woken, so per frame they count the hand-offs between threads (Linux; empty elsewhere).
    /// </summary>
    static Dictionary<string, long> Sleeps() => PerThread(task =>
    {
        foreach (var line in File.ReadLines(Path.Combine(task, "status")))
            if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal))
                return long.Parse(line.AsSpan(24).Trim(), CultureInfo.InvariantCulture);
        return 0;
    });

    /// <summary>Nanoseconds each thread ran (<c>/proc/…/schedstat</c>), summed by thread name, to tell which thread the CPU per frame goes to.</summary>
    static Dictionary<string, long> RunTimes() => PerThread(task =>
        long.Parse(File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ')[0], CultureInfo.InvariantCulture));

    static Dictionary<string, long> PerThread(Func<string, long> read)
    {
        var sleeps = new Dictionary<string, long>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                try
                {
                    var name = new string(File.ReadAllText(Path.Combine(task, "comm")).Trim().Where(c => !char.IsDigit(c)).ToArray()).Replace(' ', '_');
                    sleeps[name] = sleeps.GetValueOrDefault(name) + read(task);
                }
                catch (IOException) { } // the thread ended meanwhile
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        return sleeps;
    }

    static string PerFrame(Dictionary<string, long> before, Dictionary<string, long> after, long frames) => string.Join(',',
        after.Select(p => (p.Key, PerFrame: (double)(p.Value - before.GetValueOrDefault(p.Key)) / frames))
            .Where(p => p.PerFrame >= 0.01).OrderByDescending(p => p.PerFrame)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}:{p.PerFrame:0.00}")));

    /// <summary>The child process's entry point.</summary>
    public static async Task<int> Serve(string[] args)
    {
        var port = int.Parse(args[1], CultureInfo.InvariantCulture);
        var clients = int.Parse(args[2], CultureInfo.InvariantCulture);
        var frames = int.Parse(args[3], CultureInfo.InvariantCulture);
        var payload = int.Parse(args[4], CultureInfo.InvariantCulture);
        ThreadPool.SetMinThreads(Environment.ProcessorCount * 4, Environment.ProcessorCount * 4);

        var sockets = new Socket[clients];
        for (var i = 0; i < clients; i++)
        {
            sockets[i] = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            // A synchronous connect keeps the socket in blocking mode: after any async operation .NET makes it
            // non-blocking and emulates each blocking Receive with a wait its epoll thread ends, which cost the driver
            // about 10 futex calls and two thread hand-offs per frame, on the cores the server needs.
            sockets[i].Connect(IPAddress.Loopback, port);
        }
        var warmup = Math.Clamp(frames / 10, 1, 2_000);
        var errors = 0L;
        // Warm up for a while, not a count: the node's hot path must be at its final JIT tier (tier-0, instrumented,
        // tier-1 with PGO) before the CPU is measured, or the compiler thread's work lands in the CPU per frame.
        var warmUntil = Stopwatch.GetTimestamp() + 2 * Stopwatch.Frequency;
        do await RunClients(sockets, warmup, payload, new long[clients][], () => Interlocked.Increment(ref errors));
        while (Stopwatch.GetTimestamp() < warmUntil && Interlocked.Read(ref errors) == 0);

        Console.WriteLine("START");
        Console.Out.Flush();
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        var latencies = new long[clients][];
        await RunClients(sockets, frames, payload, latencies, () => Interlocked.Increment(ref errors));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        self.Refresh();
        var clientCpu = self.TotalProcessorTime - cpu;
        foreach (var socket in sockets) socket.Dispose();

        var all = latencies.SelectMany(l => l ?? []).ToArray();
        Array.Sort(all);
        double Us(long ticks) => ticks * 1e6 / Stopwatch.Frequency;
        double Percentile(double p) => all.Length == 0 ? double.NaN : Us(all[Math.Min(all.Length - 1, (int)(all.Length * p))]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"DRIVER frames={all.Length} errors={errors} sec={seconds:F4} p50_us={Percentile(0.50):F2} p99_us={Percentile(0.99):F2} " +
            $"p999_us={Percentile(0.999):F2} max_us={(all.Length == 0 ? double.NaN : Us(all[^1])):F2} " +
            $"client_cpu_us_per_frame={(all.Length == 0 ? double.NaN : clientCpu.TotalMicroseconds / all.Length):F3}"));
        return 0;
    }

    static Task RunClients(Socket[] sockets, int frames, int payload, long[][] latencies, Action error)
    {
        // One client: a blocking loop on its own thread, the tightest a load generator gets (no async hand-offs in
        // the client's half of the round trip). Many clients: one blocking thread per core, each driving its share
        // of the clients in lockstep rounds (send one frame on each, then read each echo), so every client still
        // has one frame in flight and the generator costs two syscalls per frame, no async machinery: the async
        // loop per client this replaced used 12-19 us of client CPU per frame and bounded gate_many.
        if (sockets.Length == 1)
            return Task.Factory.StartNew(() => latencies[0] = Guard(() => BlockingClient(sockets[0], frames, payload), error),
                TaskCreationOptions.LongRunning);
        var threads = Math.Min(Environment.ProcessorCount, sockets.Length);
        return Task.WhenAll(Enumerable.Range(0, threads).Select(t => Task.Factory.StartNew(() =>
        {
            var mine = Enumerable.Range(0, sockets.Length).Where(i => i % threads == t).ToArray();
            var rtts = Guard(() => LockstepClients(mine.Select(i => sockets[i]).ToArray(), frames, payload), error);
            for (var k = 0; k < mine.Length; k++)
                latencies[mine[k]] = rtts.Length == 0 ? [] : rtts.AsSpan(k * frames, frames).ToArray();
        }, TaskCreationOptions.LongRunning)));
    }

    /// <summary>Rounds of: one frame sent on every socket, then every echo read; returns the round trips, per socket in order.</summary>
    static long[] LockstepClients(Socket[] sockets, int frames, int payload)
    {
        var rtts = new long[sockets.Length * frames];
        var sentAt = new long[sockets.Length];
        var echo = new byte[Frame(payload, 0).Length];
        var sent = new byte[sockets.Length][];
        for (var k = 0; k < frames; k++)
        {
            for (var c = 0; c < sockets.Length; c++)
            {
                sent[c] = Frame(payload, k);
                sentAt[c] = Stopwatch.GetTimestamp();
                sockets[c].Send(sent[c]);
            }
            for (var c = 0; c < sockets.Length; c++)
            {
                for (var read = 0; read < echo.Length;)
                {
                    var n = sockets[c].Receive(echo, read, echo.Length - read, SocketFlags.None);
                    if (n == 0) throw new InvalidDataException("the gate closed the client");
                    read += n;
                }
                rtts[c * frames + k] = Stopwatch.GetTimestamp() - sentAt[c];
                if (!echo.AsSpan().SequenceEqual(sent[c])) throw new InvalidDataException("a wrong echo");
            }
        }
        return rtts;
    }

    static long[] Guard(Func<long[]> client, Action error)
    {
        try { return client(); }
        catch (Exception ex) when (ex is SocketException or IOException or InvalidDataException)
        {
            error();
            return [];
        }
    }

    /// <summary>A frame of <paramref name="payload"/> bytes whose first 8 are its sequence number, so an echo can be checked.</summary>
    static byte[] Frame(int payload, long sequence)
    {
        var body = new byte[Math.Max(8, payload)];
        BinaryPrimitives.WriteInt64LittleEndian(body, sequence);
        return NetPack.Pack(body);
    }

    static long[] BlockingClient(Socket socket, int frames, int payload)
    {
        var rtts = new long[frames];
        var echo = new byte[Frame(payload, 0).Length];
        for (var k = 0; k < frames; k++)
        {
            var frame = Frame(payload, k);
            var sent = Stopwatch.GetTimestamp();
            socket.Send(frame);
            for (var read = 0; read < echo.Length;)
            {
                var n = socket.Receive(echo, read, echo.Length - read, SocketFlags.None);
                if (n == 0) throw new InvalidDataException("the gate closed the client");
                read += n;
            }
            rtts[k] = Stopwatch.GetTimestamp() - sent;
            if (!echo.AsSpan().SequenceEqual(frame)) throw new InvalidDataException("a wrong echo");
        }
        return rtts;
    }
}
