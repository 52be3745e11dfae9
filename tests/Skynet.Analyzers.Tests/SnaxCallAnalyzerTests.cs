using Microsoft.CodeAnalysis;
using Skynet.Analyzers.Diagnostics;
using Skynet.Analyzers.Tests.Infrastructure;
using Xunit.Abstractions;
using static Skynet.Analyzers.Tests.Infrastructure.AnalyzerTest;

namespace Skynet.Analyzers.Tests;

/// <summary>SKY1017 names the service and its signature where the compiler names another service's overload.</summary>
public class SnaxCallAnalyzerTests(ITestOutputHelper output)
{
    const string Services = """
        [Service]
        public partial class Player : Service
        {
            public ValueTask OnInit(string name, int level) => default;
            public ValueTask OnExit(string reason) => default;
            [Response] public int Level() => 1;
        }
        [Service]
        public partial class Db : Service
        {
            [Response] public string? Get(string key) => key;
        }
        """;

    [Fact]
    public void MissingAndSwappedInitArguments_AndKillWithoutReason_NameTheService()
    {
        var diagnostics = VerifyGenerated<SnaxCallAnalyzer>(DiagnosticIds.SnaxCallMismatch, Services + """
            public class Lobby : Service
            {
                async ValueTask M(SnaxProxy<Player> p)
                {
                    var a = await [|Snax.NewService<Player>()|];
                    var b = await [|Snax.NewService<Player>(3, "ann")|];
                    var c = await [|Snax.UniqueService<Player>("ann")|];
                    await [|Snax.Kill(p)|];
                }
            }
            """, allowErrors: true);
        Assert.Equal("Snax.NewService<Player> expects (string name, int level): arguments 'name', 'level' are missing", diagnostics[0].GetMessage());
        Assert.Equal("Snax.NewService<Player> expects (string name, int level): argument 1 is int, 'name' is string; argument 2 is string, 'level' is int",
            diagnostics[1].GetMessage());
        Assert.Equal("Snax.UniqueService<Player> expects (string name, int level): argument 'level' is missing", diagnostics[2].GetMessage());
        Assert.Equal("Snax.Kill expects (SnaxProxy<Player> target, string reason): argument 'reason' is missing", diagnostics[3].GetMessage());
        Assert.All(diagnostics, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));

        // What the compiler says about the same calls (it cannot be silenced: a suppressor may not suppress errors).
        var (source, _) = Markup.Parse(Usings + Services + "public class L : Service { async ValueTask M(SnaxProxy<Player> p) { await Snax.NewService<Player>(); await Snax.Kill(p); } }");
        foreach (var error in CompileWithGenerators(source).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error))
            output.WriteLine(error.ToString());
    }

    [Fact]
    public void CorrectCalls_DoNotFire() => VerifyGenerated<SnaxCallAnalyzer>(DiagnosticIds.SnaxCallMismatch, Services + """
        public class Lobby : Service
        {
            async ValueTask M(SnaxProxy<Player> p)
            {
                var a = await Snax.NewService<Player>("ann", 3);
                var b = await Snax.UniqueService<Player>("bob", 1);
                var db = await Snax.NewService<Db>();
                var node = await Snax.NewService<Player>(Node, "cy", 2);
                await Snax.Kill(p, "bye");
            }
        }
        """);
}
