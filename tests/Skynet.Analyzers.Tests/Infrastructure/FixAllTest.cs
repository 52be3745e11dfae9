using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Skynet.Analyzers.Tests.Infrastructure;

/// <summary>
/// Fix All as <c>dotnet format analyzers</c> runs it (SolutionCodeFixApplier, .NET SDK 10): the pass for one id holds
/// every diagnostic the analyzers of that id report whose id the command line lets through (all of them without
/// <c>--diagnostics</c>); the equivalence key is that of the first action offered for the first diagnostic of the pass,
/// whatever its id, or none; then the fixer's <see cref="FixAllProvider"/> at <see cref="FixAllScope.Solution"/> for
/// the one id, and one change applied.
/// </summary>
public static class FixAllTest
{
    public static string Apply<TAnalyzer, TFixer>(string id, params string[] sources)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TFixer : CodeFixProvider, new() =>
        ApplyInPass<TAnalyzer, TFixer>(id, [id], sources);

    /// <summary>Fix All of <paramref name="id"/> in a pass that also holds the diagnostics of <paramref name="passIds"/>.</summary>
    public static string ApplyInPass<TAnalyzer, TFixer>(string id, string[] passIds, params string[] sources)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TFixer : CodeFixProvider, new()
    {
        var fixer = new TFixer();
        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, "FixAll", "FixAll", LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true),
            parseOptions: AnalyzerTest.ParseOptions, metadataReferences: AnalyzerTest.References));
        var documents = sources.Select((s, i) => workspace.AddDocument(project.Id, $"Test{i}.cs", SourceText.From(s))).ToList();
        var solution = workspace.CurrentSolution;

        var diagnostics = Diagnose<TAnalyzer>(solution.GetProject(project.Id)!, passIds);
        Assert.Contains(diagnostics, d => d.Id == id);
        var first = diagnostics[0];
        var document = solution.GetDocument(first.Location.SourceTree)!;
        CodeAction? action = null;
        // As dotnet format does: the first diagnostic of the pass, even of another id (the fixer may offer nothing, or,
        // if it did not check the id, a fix of the wrong thing with another key).
        fixer.RegisterCodeFixesAsync(new CodeFixContext(document, first, (a, _) => action ??= a, CancellationToken.None)).GetAwaiter().GetResult();

        var provider = fixer.GetFixAllProvider();
        Assert.NotNull(provider);
        Assert.Contains(FixAllScope.Solution, provider.GetSupportedFixAllScopes());
        var context = new FixAllContext(document, fixer, FixAllScope.Solution, action?.EquivalenceKey!, [id], new Provider(diagnostics), CancellationToken.None);
        var fixAll = provider.GetFixAsync(context).GetAwaiter().GetResult();
        Assert.True(fixAll is not null, $"{typeof(TFixer).Name} returned no Fix All action for key {action?.EquivalenceKey ?? "(none)"} (first diagnostic {first.Id})");
        var change = fixAll!.GetOperationsAsync(CancellationToken.None).GetAwaiter().GetResult().OfType<ApplyChangesOperation>().Single();
        var changed = change.ChangedSolution.GetDocument(documents[0].Id)!;
        return changed.GetTextAsync().GetAwaiter().GetResult().ToString();
    }

    static ImmutableArray<Diagnostic> Diagnose<TAnalyzer>(Project project, string[] ids) where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var compilation = project.GetCompilationAsync().GetAwaiter().GetResult()!;
        return [.. AnalyzerTest.Run(compilation, new TAnalyzer()).Where(d => ids.Contains(d.Id)).OrderBy(d => d.Location.SourceSpan.Start)];
    }

    sealed class Provider(ImmutableArray<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
            Task.FromResult(diagnostics.Where(d => d.Location.SourceTree is { } tree && tree.FilePath == document.FilePath || d.Location.SourceTree == document.GetSyntaxTreeAsync(cancellationToken).Result));

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult(Enumerable.Empty<Diagnostic>());
    }
}
