using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Skynet.Analyzers.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Skynet.Analyzers.Tests;

/// <summary>
/// Compiles one file of 200 services with every analyzer on and reports each analyzer's execution time: one cold run,
/// then the median of five warm runs (recorded in docs/diagnostics/README.md; not asserted, machines differ).
/// </summary>
public class AnalyzerPerformanceTests(ITestOutputHelper output)
{
    [Fact]
    public void TwoHundredServices_ReportsAnalyzerTime()
    {
        var source = new StringBuilder(AnalyzerTest.Usings);
        for (var i = 0; i < 200; i++)
        {
            source.Append($$"""
                [Service]
                public partial class Svc{{i}} : Service
                {
                    readonly CriticalSection _queue = new();
                    Address _peer;
                    int _count;
                    readonly Dictionary<string, string> _db = new();

                    [Accept] public void Set(string key, string value) => _db[key] = value;
                    [Response] public string? Get(string key) => _db.GetValueOrDefault(key);
                    [Response] public async ValueTask<int> Count() { await Sleep(TimeSpan.FromMilliseconds(1)); return _db.Count; }

                    protected override ValueTask OnStart(object?[] args)
                    {
                        Dispatch(PType.Lua, async message =>
                        {
                            switch (message.Args[0])
                            {
                                case "add": Ret(await Add(message.Arg<int>(1))); break;
                                case "safe": Ret(await _queue.Run(() => Add(message.Arg<int>(1)))); break;
                                case "later":
                                    var responder = Response();
                                    Fork(async () => { await Sleep(TimeSpan.FromMilliseconds(1)); responder.Respond(true, _count); });
                                    break;
                                default: throw new ArgumentException("unknown");
                            }
                        });
                        return default;
                    }

                    async ValueTask<int> Add(int amount)
                    {
                        var before = _count;
                        await Call(_peer, "audit", amount);
                        _count = before + amount;
                        for (var i = 0; i < 3; i++) { _count++; await Yield(); }
                        return _count;
                    }
                }

                """);
        }

        var compilation = AnalyzerTest.Compile(source.ToString());
        DiagnosticAnalyzer[] analyzers = [new ReentrancyAnalyzer(), new ResponseAnalyzer(), new ServiceCodeAnalyzer(), new SnaxMethodAnalyzer(), new SnaxCallAnalyzer(), new HiddenTypeAnalyzer()];
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        // One cold run (JIT, binding the compilation), then warm runs: the figure is the median of the warm ones.
        const int WarmRuns = 5;
        var times = analyzers.ToDictionary(a => a, _ => new List<double>());
        var walls = new List<long>();
        var analyzerCpu = new List<double>();
        for (var run = 0; run <= WarmRuns; run++)
        {
            var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), onAnalyzerException: null,
                concurrentAnalysis: false, logAnalyzerExecutionTime: true, reportSuppressedDiagnostics: false);
            var withAnalyzers = compilation.WithAnalyzers(ImmutableArray.Create(analyzers), options);
            // CPU time of this process, less exposed to the other engineers' load than wall time: binding plus
            // analyzers, minus binding alone (a fresh clone's diagnostics), is what the analyzers cost.
            var bindingCpu = CpuMs(() => compilation.Clone().GetDiagnostics());
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var diagnostics = withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
            clock.Stop();
            var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds - bindingCpu;

            // Two SKY1001 per service: _count read before the audit await and written after it; written in the loop
            // before a Yield and read by the return after it. Nothing else fires on the correct forms.
            Assert.Equal(400, diagnostics.Count(d => d.Id == "SKY1001"));
            Assert.Equal(400, diagnostics.Length);
            var line = new StringBuilder($"run {run}{(run == 0 ? " (cold)" : "")}: {clock.ElapsedMilliseconds} ms wall, analyzers' CPU {cpu:F0} ms");
            foreach (var analyzer in analyzers)
            {
                var ms = withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).GetAwaiter().GetResult().ExecutionTime.TotalMilliseconds;
                line.Append($", {analyzer.GetType().Name} {ms:F0}");
                if (run > 0) times[analyzer].Add(ms);
            }
            if (run > 0)
            {
                walls.Add(clock.ElapsedMilliseconds);
                analyzerCpu.Add(cpu);
            }
            output.WriteLine(line.ToString());
        }

        static double Median(IEnumerable<double> values)
        {
            var sorted = values.OrderBy(v => v).ToList();
            return sorted[sorted.Count / 2];
        }
        output.WriteLine($"200 services, {source.Length / 1024} KiB, median of {WarmRuns} warm runs (load average {LoadAverage()}):");
        foreach (var analyzer in analyzers) output.WriteLine($"  {analyzer.GetType().Name}: {Median(times[analyzer]):F0} ms");
        output.WriteLine($"  sum of analyzers: {Median(Enumerable.Range(0, WarmRuns).Select(i => analyzers.Sum(a => times[a][i]))):F0} ms; wall {Median(walls.Select(w => (double)w)):F0} ms");
        output.WriteLine($"  analyzers' CPU time (binding and analyzers, less binding alone): {Median(analyzerCpu):F0} ms");
    }

    static double CpuMs(Action work)
    {
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        work();
        return (Process.GetCurrentProcess().TotalProcessorTime - before).TotalMilliseconds;
    }

    static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
}
