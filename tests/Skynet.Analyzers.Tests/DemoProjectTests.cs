using Skynet.Analyzers.Diagnostics;
using Skynet.Analyzers.Tests.Infrastructure;

namespace Skynet.Analyzers.Tests;

/// <summary>The demo project (tests/Skynet.Analyzers.Demo) shows every rule: compile its sources with all analyzers.</summary>
public class DemoProjectTests
{
    [Fact]
    public void EveryRuleFiresOnTheDemo()
    {
        var sources = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Demo"), "*.cs")
            .Select(path => "global using System; global using System.Threading; global using System.Threading.Tasks; global using System.Collections.Generic;\n" + File.ReadAllText(path))
            .ToArray();
        Assert.NotEmpty(sources);
        var diagnostics = AnalyzerTest.Run(AnalyzerTest.Compile(sources).WithOptions(AnalyzerTest.Compile().Options.WithAllowUnsafe(true)),
            new ReentrancyAnalyzer(), new ResponseAnalyzer(), new ServiceCodeAnalyzer(), new SnaxMethodAnalyzer(), new SnaxCallAnalyzer(), new HiddenTypeAnalyzer());
        var ids = typeof(DiagnosticIds).GetFields().Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.Equal(18, ids.Count);
        // SKY1017 and SKY1018 explain compiler errors, so they cannot fire on a demo that builds: SnaxCallAnalyzerTests and
        // HiddenTypeTests cover them.
        foreach (var id in ids.Where(id => id is not (DiagnosticIds.SnaxCallMismatch or DiagnosticIds.ServiceMemberHidesType)))
            Assert.True(diagnostics.Any(d => d.Id == id), $"{id} does not fire on the demo project");
        // The state-following shapes: a collection checked before an await and set after it; a responder parked in a field.
        Assert.Contains(diagnostics, d => d.Id == DiagnosticIds.StateAcrossAwait && d.GetMessage().StartsWith("'_online' is read before", StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d.Id == DiagnosticIds.ResponderNotCompleted && d.GetMessage().Contains("'_waiting'", StringComparison.Ordinal));
    }
}
