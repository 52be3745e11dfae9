using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Skynet.Hotfix;

/// <summary>
/// Compiles hotfix and inject source in-process with Roslyn, against the assemblies the node is running. The patch
/// may read and write private members of those assemblies (the C# counterpart of snax re-binding upvalues by name):
/// the compilation imports private metadata and binds without accessibility checks, and the emitted assembly carries
/// <c>IgnoresAccessChecksToAttribute</c> so the runtime lets it through as well.
/// </summary>
public static class HotfixCompiler
{
    static readonly ConcurrentDictionary<string, MetadataReference> s_references = new(StringComparer.Ordinal);
    static readonly CSharpParseOptions s_parseOptions = new(LanguageVersion.Latest);
    static readonly CSharpCompilationOptions s_options = CreateOptions();
    static int s_counter;

    /// <summary>Compiles <paramref name="source"/> into an assembly image.</summary>
    /// <param name="source">One C# file: usings, namespaces and static classes holding the patch methods.</param>
    /// <param name="sourceName">The file name the compiler messages show.</param>
    /// <returns>The image (PE bytes), ready for <see cref="SnaxHotfix.ApplyAssembly"/>.</returns>
    /// <exception cref="HotfixCompilationException">The source does not compile; the exception lists every error.</exception>
    public static byte[] Compile(string source, string sourceName = "hotfix.cs")
    {
        ArgumentNullException.ThrowIfNull(source);
        var name = $"skynet-hotfix-{Interlocked.Increment(ref s_counter)}";
        var trees = new[]
        {
            CSharpSyntaxTree.ParseText(source, s_parseOptions, sourceName, Encoding.UTF8),
            CSharpSyntaxTree.ParseText(AccessChecksSource(), s_parseOptions, "IgnoresAccessChecksTo.g.cs", Encoding.UTF8),
            CSharpSyntaxTree.ParseText(ImplicitUsings, s_parseOptions, "ImplicitUsings.g.cs", Encoding.UTF8),
        };
        var compilation = CSharpCompilation.Create(name, trees, References(), s_options);
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        if (!result.Success)
        {
            var errors = new List<string>();
            foreach (var diagnostic in result.Diagnostics)
                if (diagnostic.Severity == DiagnosticSeverity.Error) errors.Add(diagnostic.ToString());
            throw new HotfixCompilationException(sourceName, errors);
        }
        return image.ToArray();
    }

    // The SDK's implicit usings (the service itself was compiled with them) plus Skynet, so a patch reads like the code it replaces.
    const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Skynet;
        """;

    static CSharpCompilationOptions CreateOptions()
    {
        var options = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            optimizationLevel: OptimizationLevel.Release,
            allowUnsafe: true,
            metadataImportOptions: MetadataImportOptions.All);
        // Roslyn keeps "bind as if every member were accessible" behind an internal flag (the scripting and
        // debugger expression evaluators use it). Without it a patch cannot name the service's private fields.
        var flagsProperty = typeof(CSharpCompilationOptions).GetProperty("TopLevelBinderFlags", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("This Roslyn version has no TopLevelBinderFlags; hotfix patches cannot reach private members.");
        var ignoreAccessibility = Enum.Parse(flagsProperty.PropertyType, "IgnoreAccessibility");
        flagsProperty.SetValue(options, ignoreAccessibility);
        return options;
    }

    // The runtime skips access checks from an assembly that names the target in this attribute; the attribute is
    // matched by name, so the patch declares its own copy.
    static string AccessChecksSource()
    {
        var text = new StringBuilder();
        foreach (var assembly in AssemblyLoadContext.Default.Assemblies)
        {
            if (assembly.IsDynamic || assembly.GetName().Name is not { } simpleName) continue;
            text.Append("[assembly: System.Runtime.CompilerServices.IgnoresAccessChecksTo(\"").Append(simpleName).AppendLine("\")]");
        }
        text.AppendLine("""
            namespace System.Runtime.CompilerServices
            {
                [global::System.AttributeUsage(global::System.AttributeTargets.Assembly, AllowMultiple = true)]
                internal sealed class IgnoresAccessChecksToAttribute(string assemblyName) : global::System.Attribute
                {
                    public string AssemblyName { get; } = assemblyName;
                }
            }
            """);
        return text.ToString();
    }

    // The running assemblies first (they win over a same-named platform file), then the rest of the platform.
    static List<MetadataReference> References()
    {
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var assembly in AssemblyLoadContext.Default.Assemblies)
        {
            if (assembly.IsDynamic || string.IsNullOrEmpty(assembly.Location)) continue;
            byName.TryAdd(assembly.GetName().Name ?? Path.GetFileNameWithoutExtension(assembly.Location), assembly.Location);
        }
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string platform)
        {
            foreach (var path in platform.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
                byName.TryAdd(Path.GetFileNameWithoutExtension(path), path);
        }
        var references = new List<MetadataReference>(byName.Count);
        foreach (var path in byName.Values)
            references.Add(s_references.GetOrAdd(path, static p => MetadataReference.CreateFromFile(p)));
        return references;
    }
}
