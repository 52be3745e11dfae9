using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
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
    public void MissingAndSwappedInitArguments_AndKillWithoutReason_AreOneErrorEach_NamingTheService()
    {
        var (source, expected) = Markup.Parse(Usings + Services + """
            public class Lobby : Service
            {
                async ValueTask M(SnaxProxy<Player> p)
                {
                    var a = await [|Snax.NewService<Player>()|];
                    var b = await [|Snax.NewService<Player>(3, "ann")|];
                    var c = await [|Snax.UniqueService<Player>("ann")|];
                    var d = await [|Snax.NewService<Player>(Node, "ann")|];
                    await [|Snax.Kill(p)|];
                    await [|Snax.Kill(p, 42)|];
                }
            }
            """);
        var compilation = CompileWithGenerators(source);
        // Everything the build reports: the compiler (with the generated code) and SnaxCallAnalyzer.
        var errors = compilation.WithAnalyzers([new SnaxCallAnalyzer()]).GetAllDiagnosticsAsync().GetAwaiter().GetResult()
            .Where(d => d.Severity == DiagnosticSeverity.Error).OrderBy(d => d.Location.SourceSpan.Start).ToList();
        foreach (var error in errors) output.WriteLine(error.ToString());

        Assert.Equal(expected, errors.Select(d => d.Location.SourceSpan));
        Assert.All(errors, d => Assert.Equal(DiagnosticIds.SnaxCallMismatch, d.Id));
        Assert.DoesNotContain(errors, d => d.Id is "CS0311" or "CS1503" or "CS7036" or "CS1501");
        string Wrong(string member, string parameters, string message) =>
            $"'PlayerSnaxExtensions.extension(Snax).{member}({parameters})' is obsolete: '{message}'";
        const string init = "(string name, int level), or (SkynetNode node, string name, int level)";
        Assert.Equal(
        [
            Wrong("NewService<T>", "params object?[]", "Snax.NewService<Player> expects " + init),
            Wrong("NewService<T>", "params object?[]", "Snax.NewService<Player> expects " + init),
            Wrong("UniqueService<T>", "params object?[]", "Snax.UniqueService<Player> expects " + init),
            Wrong("NewService<T>", "params object?[]", "Snax.NewService<Player> expects " + init),
            Wrong("Kill", "SnaxProxy<Player>, params object?[]", "Snax.Kill of a Player expects (SnaxProxy<Player> target, string reason)"),
            Wrong("Kill", "SnaxProxy<Player>, params object?[]", "Snax.Kill of a Player expects (SnaxProxy<Player> target, string reason)"),
        ], errors.Select(d => d.GetMessage()));
        Assert.All(errors, d => Assert.EndsWith("/SKY1017.md", d.Descriptor.HelpLinkUri));
    }

    [Fact]
    public void AServiceWhoseInitTakesParams_IsExplainedByTheAnalyzer()
    {
        // A params OnInit would make the generated catch-all ambiguous, so it is not generated; SnaxCallAnalyzer names the call.
        var diagnostics = VerifyGenerated<SnaxCallAnalyzer>(DiagnosticIds.SnaxCallMismatch, """
            [Service]
            public partial class Room : Service
            {
                public ValueTask OnInit(string name, params int[] seats) => default;
            }
            public class Lobby : Service
            {
                async ValueTask M() { var r = await [|Snax.NewService<Room>(3)|]; }
            }
            """, allowErrors: true);
        Assert.Equal("Snax.NewService<Room> expects (string name, int[] seats): argument 1 is int, 'name' is string", diagnostics.Single().GetMessage());
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
