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
            new ReentrancyAnalyzer(), new ResponseAnalyzer(), new ServiceCodeAnalyzer(), new SnaxMethodAnalyzer());
        var ids = typeof(DiagnosticIds).GetFields().Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.Equal(16, ids.Count);
        foreach (var id in ids)
            Assert.True(diagnostics.Any(d => d.Id == id), $"{id} does not fire on the demo project");
    }
}
