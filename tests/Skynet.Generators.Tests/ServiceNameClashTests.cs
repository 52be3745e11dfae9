using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;

namespace Skynet.Generators.Tests;

/// <summary>
/// Names a service inherits from <see cref="Service"/> must not hide the BCL types a game programmer writes every day:
/// <c>Timeout.InfiniteTimeSpan</c> compiles inside a <c>[Service]</c> (skynet's <c>skynet.timeout</c> is
/// <see cref="Service.SetTimeout(TimeSpan, Action)"/>), and the compiled service runs.
/// </summary>
public sealed class ServiceNameClashTests
{
    const string Source = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Skynet;

        namespace Clash;

        [Service]
        public sealed partial class Waiter : Service
        {
            TimeSpan _patience = Timeout.InfiniteTimeSpan;
            readonly TaskCompletionSource<bool> _fired = new(TaskCreationOptions.RunContinuationsAsynchronously);

            [Response] public int Infinite() => Timeout.Infinite;
            [Response] public double Patience() => _patience.TotalMilliseconds;

            [Response]
            public async ValueTask<bool> Arm()
            {
                SetTimeout(TimeSpan.Zero, () => _fired.TrySetResult(true));
                return await _fired.Task;
            }
        }

        public static class Run
        {
            public static async Task<string> Go(SkynetNode node)
            {
                var waiter = await Snax.NewService<Waiter>(node);
                return $"{await waiter.Req.Infinite()} {await waiter.Req.Patience()} {await waiter.Req.Arm()}";
            }
        }
        """;

    [Fact]
    public async Task Timeout_InfiniteTimeSpan_compiles_inside_a_service_and_the_service_runs()
    {
        var (output, generatorDiagnostics, _) = GeneratorRunner.Run(Source);
        Assert.Empty(generatorDiagnostics);
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        using var image = new MemoryStream();
        var emitted = output.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        image.Position = 0;
        // The default context already holds Skynet.Runtime, so the loaded service binds to the runtime this test runs.
        var assembly = AssemblyLoadContext.Default.LoadFromStream(image);
        var go = assembly.GetType("Clash.Run")!.GetMethod("Go", BindingFlags.Public | BindingFlags.Static)!;

        var node = new SkynetNode(new SkynetOptions { Threads = 2 });
        node.Start();
        try
        {
            var result = await ((Task<string>)go.Invoke(null, [node])!).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal("-1 -1 True", result);
        }
        finally
        {
            await node.StopAsync(TimeSpan.FromSeconds(2));
        }
    }
}
