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
    }
}
