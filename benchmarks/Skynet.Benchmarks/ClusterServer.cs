using System.Diagnostics;

namespace Skynet.Benchmarks;

/// <summary>
/// The second process of the cluster benchmarks: a node serving <c>@echo</c> (returns its first argument) on
/// 127.0.0.1. The benchmark starts this program again with <see cref="ServeVariable"/> set; the child prints
/// <c>PORT n</c> and runs until its stdin closes.
/// </summary>
internal static class ClusterServer
{
    public const string ServeVariable = "SKYNET_BENCH_CLUSTER_SERVE";

    public static bool IsChild => Environment.GetEnvironmentVariable(ServeVariable) == "1";

    /// <summary>The child's main: serve until stdin closes.</summary>
    public static async Task<int> Serve()
    {
        var node = new SkynetNode(new SkynetOptions { Threads = Environment.ProcessorCount });
        node.Start();
        var echo = await node.NewService(new EchoService());
        var cluster = Cluster.For(node);
        cluster.Register("echo", echo);
        var end = await cluster.Open(0, "127.0.0.1");
        Console.WriteLine($"PORT {end.Port}");
        Console.Out.Flush();
        await Console.In.ReadToEndAsync();
        await node.StopAsync();
        return 0;
    }

    /// <summary>Starts the child process and returns it with its port.</summary>
    public static async Task<(Process Process, int Port)> Start()
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") start.ArgumentList.Add(typeof(ClusterServer).Assembly.Location);
        start.ArgumentList.Add("cluster");
        start.Environment[ServeVariable] = "1";
        var process = Process.Start(start) ?? throw new BenchmarkFailedException("the cluster server process did not start");
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (line is null || !line.StartsWith("PORT ", StringComparison.Ordinal))
            throw new BenchmarkFailedException($"the cluster server process said '{line}' instead of its port");
        return (process, int.Parse(line.AsSpan(5)));
    }

    /// <summary>Ends the child by closing its stdin, and waits for it.</summary>
    public static async Task Stop(Process process)
    {
        process.StandardInput.Close();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        process.Dispose();
    }

    sealed class EchoService : Service
    {
        protected override ValueTask OnStart(object?[] args)
        {
            Dispatch(PType.Lua, message =>
            {
                Ret(((object?[])message.Payload!)[0]);
                return default;
            });
            return default;
        }
    }
}
