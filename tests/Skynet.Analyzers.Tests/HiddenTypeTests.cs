using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Skynet.Analyzers.CodeFixes;
using Skynet.Analyzers.Diagnostics;
using Skynet.Analyzers.Tests.Infrastructure;
using static Skynet.Analyzers.Tests.Infrastructure.AnalyzerTest;

namespace Skynet.Analyzers.Tests;

/// <summary>
/// SKY1018: a service's own Timeout(...) helper (a port of skynet.timeout) hides System.Threading.Timeout inside the
/// service; named, and fixed by qualifying. Skynet.Service itself calls it SetTimeout, so a plain service has no clash.
/// </summary>
public class HiddenTypeTests
{
    const string Before = """
        public class Room : Service
        {
            TimeSpan _wait = Timeout.InfiniteTimeSpan;
            int Ms() => Timeout.Infinite;
            void Arm() => Timeout(TimeSpan.FromSeconds(1), () => { });
            void Timeout(TimeSpan delay, Action work) => SetTimeout(delay, work);
        }
        public class Outside { TimeSpan _wait = Timeout.InfiniteTimeSpan; }
        """;

    [Fact]
    public void TimeoutTypeInsideAService_IsNamed()
    {
        var (source, expected) = Markup.Parse(Usings + Before.Replace("= Timeout.InfiniteTimeSpan; }", "= Timeout.InfiniteTimeSpan; }")
            .Replace("_wait = Timeout.InfiniteTimeSpan;\n    int", "_wait = [|Timeout|].InfiniteTimeSpan;\n    int").Replace("=> Timeout.Infinite;", "=> [|Timeout|].Infinite;"));
        var compilation = Compile(source);
        Assert.Contains(compilation.GetDiagnostics(), d => d.Id == "CS0119");
        var diagnostics = RunAllowingErrors(compilation, new HiddenTypeAnalyzer()).Where(d => d.Id == DiagnosticIds.ServiceMemberHidesType).ToList();
        Assert.Equal(expected, diagnostics.Select(d => d.Location.SourceSpan).OrderBy(s => s.Start));
        Assert.Equal("Inside a service 'Timeout' is the method Room.Timeout(...), not the type System.Threading.Timeout; write System.Threading.Timeout.InfiniteTimeSpan",
            diagnostics.OrderBy(d => d.Location.SourceSpan.Start).First().GetMessage());
    }

    [Fact]
    public void FixAll_QualifiesTheType_AndTheCodeCompiles()
    {
        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, "Fix", "Fix", LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: AnalyzerTest.ParseOptions, metadataReferences: References));
        var document = workspace.AddDocument(project.Id, "Test.cs", SourceText.From(Usings + Before));
        var compilation = document.Project.GetCompilationAsync().GetAwaiter().GetResult()!;
        var diagnostics = RunAllowingErrors(compilation, new HiddenTypeAnalyzer()).OrderBy(d => d.Location.SourceSpan.Start).ToList();
        Assert.Equal(2, diagnostics.Count);

        var fixer = new HiddenTypeCodeFixer();
        CodeAction? action = null;
        fixer.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostics[0], (a, _) => action ??= a, CancellationToken.None)).GetAwaiter().GetResult();
        Assert.Equal(HiddenTypeCodeFixer.Key, action!.EquivalenceKey);
        var provider = new StaticProvider(diagnostics);
        var fixAll = fixer.GetFixAllProvider().GetFixAsync(new FixAllContext(document, fixer, FixAllScope.Solution, action.EquivalenceKey!,
            [DiagnosticIds.ServiceMemberHidesType], provider, CancellationToken.None)).GetAwaiter().GetResult()!;
        var solution = fixAll.GetOperationsAsync(CancellationToken.None).GetAwaiter().GetResult().OfType<ApplyChangesOperation>().Single().ChangedSolution;
        var text = solution.GetDocument(document.Id)!.GetTextAsync().GetAwaiter().GetResult().ToString();
        Assert.Contains("_wait = System.Threading.Timeout.InfiniteTimeSpan;", text);
        Assert.Contains("Ms() => System.Threading.Timeout.Infinite;", text);
        Assert.Empty(solution.GetDocument(document.Id)!.Project.GetCompilationAsync().GetAwaiter().GetResult()!.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    sealed class StaticProvider(IEnumerable<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) => Task.FromResult(diagnostics);
        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) => Task.FromResult(diagnostics);
        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) => Task.FromResult(Enumerable.Empty<Diagnostic>());
    }

    [Fact]
    public void TimeoutTypeInsideAPlainService_Compiles_AndIsNotReported()
    {
        var compilation = Compile(Usings + """
            public class Room : Service
            {
                TimeSpan _wait = Timeout.InfiniteTimeSpan;
                int Ms() => Timeout.Infinite;
                void Arm() => SetTimeout(TimeSpan.FromSeconds(1), () => { });
            }
            """);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.DoesNotContain(RunAllowingErrors(compilation, new HiddenTypeAnalyzer()), d => d.Id == DiagnosticIds.ServiceMemberHidesType);
    }
}
