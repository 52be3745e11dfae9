using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Skynet.Analyzers.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Skynet.Analyzers.Tests;

/// <summary>
/// Compiles one file of 200 services with every analyzer on and reports each analyzer's execution time
/// (recorded in docs/benchmarks.md; not asserted, machines differ).
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

        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), onAnalyzerException: null,
            concurrentAnalysis: false, logAnalyzerExecutionTime: true, reportSuppressedDiagnostics: false);
        var withAnalyzers = compilation.WithAnalyzers(ImmutableArray.Create(analyzers), options);
        var clock = Stopwatch.StartNew();
        var diagnostics = withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        clock.Stop();

        // Two SKY1001 per service: _count read before the audit await and written after it; written in the loop
        // before a Yield and read by the return after it. Nothing else fires on the correct forms.
        Assert.Equal(400, diagnostics.Count(d => d.Id == "SKY1001"));
        Assert.Equal(400, diagnostics.Length);
        output.WriteLine($"200 services, {source.Length / 1024} KiB: all analyzers {clock.ElapsedMilliseconds} ms wall (includes binding)");
        foreach (var analyzer in analyzers)
        {
            var telemetry = withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).GetAwaiter().GetResult();
            output.WriteLine($"{analyzer.GetType().Name}: {telemetry.ExecutionTime.TotalMilliseconds:F0} ms");
        }
    }
}
