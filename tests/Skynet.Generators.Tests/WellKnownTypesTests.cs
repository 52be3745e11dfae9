using Skynet.Generators.Helpers;

namespace Skynet.Generators.Tests;

public sealed class WellKnownTypesTests
{
    [Fact]
    public void Well_known_types_are_resolved_once_per_compilation_as_symbols()
    {
        var compilation = GeneratorRunner.Compile("namespace D; public class X { }");
        var known = WellKnownTypes.Get(compilation);
        Assert.Same(known, WellKnownTypes.Get(compilation));
        Assert.NotSame(known, WellKnownTypes.Get(compilation.AddSyntaxTrees(Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("class Y { }", GeneratorRunner.ParseOptions))));
        Assert.All(new[] { known.Service, known.Accept, known.Response, known.Id, known.ValueTask, known.Task, known.ValueTaskOfT, known.TaskOfT },
            Assert.NotNull);
        // The copier parser's MemoryPack attributes come from the same cache, as symbols.
        var p = known.Packability;
        Assert.All(new[] { p.MemoryPackable, p.MemoryPackIgnore, p.MemoryPackInclude, p.MemoryPackConstructor, p.GenerateType }, Assert.NotNull);
        Assert.Equal("MemoryPack.MemoryPackIgnoreAttribute", p.MemoryPackIgnore!.ToDisplayString());
    }

    [Fact]
    public void An_attribute_that_only_shares_MemoryPacks_name_is_not_MemoryPacks()
    {
        // A user's own [MemoryPackIgnore] in another namespace does not hide a member from the copier (names are not compared).
        var (output, diagnostics, result) = GeneratorRunner.Run("""
            using MemoryPack;
            namespace Mine { public sealed class MemoryPackIgnoreAttribute : System.Attribute { } }
            namespace D
            {
                [MemoryPackable] public sealed partial class Bag { public System.Collections.Generic.List<int>? Kept { get; set; } [Mine.MemoryPackIgnore] public System.Collections.Generic.List<int>? AlsoKept { get; set; } }
            }
            """);
        Assert.Empty(diagnostics);
        var copier = result.Ours().Single(s => s.HintName.EndsWith("Bag.Copier.g.cs", System.StringComparison.Ordinal)).SourceText.ToString();
        Assert.Contains("AlsoKept = ", copier);
        Assert.Contains("Kept = ", copier);
    }
}
