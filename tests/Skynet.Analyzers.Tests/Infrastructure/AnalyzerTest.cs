using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Skynet.Analyzers.Tests.Infrastructure;

/// <summary>
/// Compiles test sources against the running runtime's trusted platform assemblies plus Skynet.Runtime, runs the
/// analyzers and code fixes in-process (no Microsoft.CodeAnalysis.Testing).
/// </summary>
public static class AnalyzerTest
{
    /// <summary>Prepended to every test source.</summary>
    public const string Usings = "using System; using System.Collections.Generic; using System.Threading; using System.Threading.Tasks; using Skynet;\n";

    /// <summary>A hand-written stand-in for a generated snax proxy of a service with <c>Get</c> ([Response]) and <c>Set</c> ([Accept]).</summary>
    public const string FakeProxy = """

        public sealed class DbProxy(Address target)
        {
            public ReqView Req { get; } = new(target);
            public PostView Post { get; } = new(target);
            public sealed class ReqView(Address target) : ISnaxRequestView
            {
                public Address Target => target;
                public ValueTask<string?> Get(string key) => default;
                public ValueTask Set(string key, string value) => default;
            }
            public sealed class PostView(Address target) : ISnaxPostView
            {
                public Address Target => target;
                public void Set(string key, string value) { }
            }
        }
        """;

    static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(() =>
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is var name && (name.StartsWith("System.", StringComparison.Ordinal) || name is "mscorlib.dll" or "netstandard.dll" ||
                        name.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal)))
            .Append(typeof(Skynet.Service).Assembly.Location)
            .Append(typeof(MemoryPack.MemoryPackSerializer).Assembly.Location)
            .Distinct(StringComparer.OrdinalIgnoreCase);
        return [.. paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    });

    public static ImmutableArray<MetadataReference> References => s_references.Value;

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static CSharpCompilation Compile(params string[] sources) => CSharpCompilation.Create(
        "Tests",
        sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Test{i}.cs")),
        References,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));

    /// <summary>Compiles <paramref name="sources"/> and adds what the real Skynet generators emit for them.</summary>
    public static Compilation CompileWithGenerators(params string[] sources)
    {
        var compilation = Compile(sources);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new Skynet.Generators.ServiceGenerator().AsSourceGenerator(), new Skynet.Generators.CopierGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return output;
    }

    /// <summary>Like <see cref="Verify{TAnalyzer}"/>, with the generated code of the sources' services.</summary>
    public static ImmutableArray<Diagnostic> VerifyGenerated<TAnalyzer>(string id, string markup, bool allowErrors = false)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var (source, expected) = Markup.Parse(Usings + markup);
        var compilation = CompileWithGenerators(source);
        var diagnostics = (allowErrors ? RunAllowingErrors(compilation, new TAnalyzer()) : Run(compilation, new TAnalyzer())).Where(d => d.Id == id).OrderBy(d => d.Location.SourceSpan.Start).ToImmutableArray();
        var actual = diagnostics.Select(d => d.Location.SourceSpan).ToList();
        Assert.True(expected.SequenceEqual(actual),
            $"Expected {id} at [{Describe(source, expected)}]\nbut got [{Describe(source, actual)}]\n{string.Join("\n", diagnostics)}");
        return diagnostics;
    }

    public static ImmutableArray<Diagnostic> Run(Compilation compilation, params DiagnosticAnalyzer[] analyzers)
    {
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "The test source does not compile:\n" + string.Join("\n", errors));
        return RunAllowingErrors(compilation, analyzers);
    }

    /// <summary>Runs the analyzers on a compilation that may have errors (rules that explain compiler errors).</summary>
    public static ImmutableArray<Diagnostic> RunAllowingErrors(Compilation compilation, params DiagnosticAnalyzer[] analyzers)
    {
        var withAnalyzers = compilation.WithAnalyzers([.. analyzers]);
        var result = withAnalyzers.GetAllDiagnosticsAsync().GetAwaiter().GetResult();
        var analyzerFailures = result.Where(d => d.Id == "AD0001").ToList();
        Assert.True(analyzerFailures.Count == 0, "An analyzer threw:\n" + string.Join("\n", analyzerFailures));
        return [.. result.Where(d => d.Id.StartsWith("SKY", StringComparison.Ordinal))];
    }

    /// <summary>Asserts that <paramref name="id"/> is reported exactly at the <c>[|...|]</c> spans of <paramref name="markup"/>.</summary>
    public static ImmutableArray<Diagnostic> Verify<TAnalyzer>(string id, string markup, bool withProxy = false)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var (source, expected) = Markup.Parse(Usings + markup + (withProxy ? FakeProxy : ""));
        var diagnostics = Run(Compile(source), new TAnalyzer()).Where(d => d.Id == id).OrderBy(d => d.Location.SourceSpan.Start).ToImmutableArray();
        var actual = diagnostics.Select(d => d.Location.SourceSpan).ToList();
        Assert.True(expected.SequenceEqual(actual),
            $"Expected {id} at [{Describe(source, expected)}]\nbut got [{Describe(source, actual)}]\n{string.Join("\n", diagnostics)}");
        return diagnostics;
    }

    static string Describe(string source, IEnumerable<TextSpan> spans) =>
        string.Join(", ", spans.Select(s => $"'{source.Substring(s.Start, s.Length)}'@{s.Start}"));

    /// <summary>
    /// Applies the code fix (the action with <paramref name="equivalenceKey"/>) to the first <paramref name="id"/>
    /// diagnostic and compares the result with <paramref name="expected"/>; the result must compile.
    /// </summary>
    public static void VerifyFix<TAnalyzer, TFixer>(string id, string before, string expected, string equivalenceKey, bool withProxy = false)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TFixer : CodeFixProvider, new()
    {
        var fixer = new TFixer();
        Assert.Contains(id, fixer.FixableDiagnosticIds);
        Assert.NotNull(fixer.GetFixAllProvider());

        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, "Fix", "Fix", LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true),
            parseOptions: ParseOptions, metadataReferences: References));
        var suffix = withProxy ? FakeProxy : "";
        var document = workspace.AddDocument(project.Id, "Test.cs", SourceText.From(Usings + before + suffix));

        var compilation = document.Project.GetCompilationAsync().GetAwaiter().GetResult()!;
        var diagnostic = Run(compilation, new TAnalyzer()).Where(d => d.Id == id).OrderBy(d => d.Location.SourceSpan.Start).First();
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        fixer.RegisterCodeFixesAsync(context).GetAwaiter().GetResult();
        var chosen = actions.SingleOrDefault(a => a.EquivalenceKey == equivalenceKey);
        Assert.True(chosen is not null, $"No code action with key {equivalenceKey}; offered: {string.Join(", ", actions.Select(a => a.EquivalenceKey))}");

        var operations = chosen!.GetOperationsAsync(CancellationToken.None).GetAwaiter().GetResult();
        var solution = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
        var changed = solution.GetDocument(document.Id)!;
        var text = changed.GetTextAsync().GetAwaiter().GetResult().ToString();
        Assert.Equal(Normalize(Usings + expected + suffix), Normalize(text));

        var fixedCompilation = changed.Project.GetCompilationAsync().GetAwaiter().GetResult()!;
        var remaining = Run(fixedCompilation, new TAnalyzer()).Where(d => d.Id == id && d.Location.SourceSpan == diagnostic.Location.SourceSpan).ToList();
        Assert.Empty(remaining);
    }

    /// <summary>Asserts that no code action with <paramref name="equivalenceKey"/> is offered for the first <paramref name="id"/>.</summary>
    public static void VerifyNoFix<TAnalyzer, TFixer>(string id, string before, string equivalenceKey, bool withProxy = false)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TFixer : CodeFixProvider, new()
    {
        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, "Fix", "Fix", LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true),
            parseOptions: ParseOptions, metadataReferences: References));
        var document = workspace.AddDocument(project.Id, "Test.cs", SourceText.From(Usings + before + (withProxy ? FakeProxy : "")));
        var compilation = document.Project.GetCompilationAsync().GetAwaiter().GetResult()!;
        var diagnostic = Run(compilation, new TAnalyzer()).First(d => d.Id == id);
        var actions = new List<CodeAction>();
        new TFixer().RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None)).GetAwaiter().GetResult();
        Assert.DoesNotContain(actions, a => a.EquivalenceKey == equivalenceKey);
    }

    static string Normalize(string text) => text.Replace("\r\n", "\n").TrimEnd();
}
