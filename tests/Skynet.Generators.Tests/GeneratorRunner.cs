using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Skynet.Generators.Tests;

/// <summary>
/// Builds test compilations from the running runtime's trusted platform assemblies plus Skynet.Runtime and MemoryPack,
/// and runs our generators next to MemoryPack's own, as a user's build does.
/// </summary>
internal static class GeneratorRunner
{
    // The symbols a net10.0 build defines: MemoryPack's generator emits its net7+ form only when it sees them.
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview,
        preprocessorSymbols: ["NET", "NET10_0", "NET5_0_OR_GREATER", "NET6_0_OR_GREATER", "NET7_0_OR_GREATER", "NET8_0_OR_GREATER", "NET9_0_OR_GREATER", "NET10_0_OR_GREATER"]);

    static readonly ImmutableArray<MetadataReference> References =
    [
        .. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Select(p => MetadataReference.CreateFromFile(p)),
        MetadataReference.CreateFromFile(typeof(Skynet.Service).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(MemoryPack.MemoryPackSerializer).Assembly.Location),
    ];

    static readonly ISourceGenerator[] MemoryPackGenerators = LoadMemoryPackGenerators();

    static ISourceGenerator[] LoadMemoryPackGenerators()
    {
        var path = typeof(GeneratorRunner).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "MemoryPackGenerator").Value!;
        var assembly = Assembly.LoadFrom(path);
        return assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<GeneratorAttribute>() is not null && typeof(IIncrementalGenerator).IsAssignableFrom(t))
            .Select(t => ((IIncrementalGenerator)Activator.CreateInstance(t)!).AsSourceGenerator())
            .ToArray();
    }

    public static CSharpCompilation Compile(params string[] sources) =>
        CSharpCompilation.Create("Consumer",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                // As the .NET SDK does: MemoryPack.Core was built against older framework assembly versions.
                .WithSpecificDiagnosticOptions([new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]));

    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            [new ServiceGenerator().AsSourceGenerator(), new CopierGenerator().AsSourceGenerator(), .. MemoryPackGenerators],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs every generator; the diagnostics and results returned are those of Skynet's generators only.</summary>
    public static (Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics, GeneratorDriverRunResult Result) Run(params string[] sources)
    {
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(Compile(sources), out var output, out _);
        var result = driver.GetRunResult();
        var ours = result.Results.Where(r => r.Generator.GetGeneratorType().Namespace == "Skynet.Generators").ToList();
        foreach (var source in ours.SelectMany(r => r.GeneratedSources)) AssertLayout(source);
        return (output, [.. ours.SelectMany(r => r.Diagnostics)], result);
    }

    /// <summary>The sources Skynet's generators emitted.</summary>
    public static IEnumerable<GeneratedSourceResult> Ours(this GeneratorDriverRunResult result) =>
        result.Results.Where(r => r.Generator.GetGeneratorType().Namespace == "Skynet.Generators").SelectMany(r => r.GeneratedSources);

    /// <summary>
    /// Every generated file, from every test: read as a user reads it in the IDE, so UTF-8 without a BOM, no doubled
    /// blank lines, no blank line just inside a brace, no line over 160 characters.
    /// </summary>
    public static void AssertLayout(GeneratedSourceResult source)
    {
        Assert.True(source.SourceText.Encoding is { } encoding && encoding.GetPreamble().Length == 0, $"{source.HintName} is written with a BOM");
        var lines = source.SourceText.ToString().Split('\n');
        for (var i = 1; i < lines.Length; i++)
        {
            var where = $"{source.HintName}:{i + 1}";
            Assert.False(lines[i].Length == 0 && lines[i - 1].Length == 0 && i < lines.Length - 1, $"doubled blank line at {where}");
            Assert.False(lines[i].Length == 0 && lines[i - 1].TrimEnd().EndsWith('{'), $"blank line after an opening brace at {where}");
            Assert.False(lines[i].TrimStart().StartsWith('}') && lines[i - 1].Length == 0, $"blank line before a closing brace at {where}");
            Assert.False(lines[i].EndsWith(' '), $"trailing space at {where}");
            Assert.True(lines[i].Length <= 160, $"{lines[i].Length} characters at {where}: {lines[i]}");
        }
    }

    /// <summary>Compares with Baselines/{name}; set SKYNET_APPROVE_BASELINES=1 to rewrite them.</summary>
    public static void AssertBaseline(string name, string actual, [CallerFilePath] string testFile = "")
    {
        var path = Path.Combine(Path.GetDirectoryName(testFile)!, "Baselines", name);
        if (Environment.GetEnvironmentVariable("SKYNET_APPROVE_BASELINES") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }
        Assert.True(File.Exists(path), $"No baseline {path}; run once with SKYNET_APPROVE_BASELINES=1 and review the file.");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), actual.ReplaceLineEndings("\n"));
    }
}
