using Microsoft.CodeAnalysis;

namespace Skynet.Generators.Tests;

/// <summary>The Lua snax form (<c>{Type}.SnaxLua.g.cs</c>): skynet's <c>snax.interface</c> numbering and compile-clean output.</summary>
public sealed class SnaxLuaEmitterTests
{
    static string LuaSource(string members)
    {
        var (output, diagnostics, result) = GeneratorRunner.Run("using System.Collections.Generic; using Skynet; namespace D; [Service] public partial class S : Service { " + members + " }");
        Assert.Empty(diagnostics);
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        return result.Ours().Single(s => s.HintName == "D.S.SnaxLua.g.cs").SourceText.ToString();
    }

    [Fact]
    public void Without_pins_Lua_ids_are_5_and_up_in_declaration_order_as_snax_interface_numbers_a_Lua_file()
    {
        // pingserver.lua's order: response.ping, accept.sleep, accept.hello, accept.exit, response.error (names sort differently).
        var text = LuaSource("""
            [Response] public string Ping(string hello) => hello;
            [Accept] public void Sleep(bool queue, int n) { }
            [Accept] public void Hello() { }
            [Accept] public void Quit() { }
            [Response] public string Error() => throw new System.Exception();
            """);
        // slot indexes follow the names' order (Error 0, Hello 1, Ping 2, Quit 3, Sleep 4); Lua ids the declaration order
        Assert.Contains("5 => 2, // Ping", text);
        Assert.Contains("6 => 4, // Sleep", text);
        Assert.Contains("7 => 1, // Hello", text);
        Assert.Contains("8 => 3, // Quit", text);
        Assert.Contains("9 => 0, // Error", text);
        Assert.Contains("return new object?[] { 2L };", text); // snax.kill: exit is system id 2
    }

    [Fact]
    public void With_any_pin_Lua_ids_are_the_method_ids_and_pins_below_5_have_no_Lua_form()
    {
        var text = LuaSource("""
            [Response, Id(12)] public int A(int x) => x;
            [Accept, Id(2)] public void B() { }
            """);
        Assert.Contains("12 => 0, // A", text);
        Assert.DoesNotContain("=> 1, // B", text);
        Assert.Contains("throw global::Skynet.LuaArgs.ReservedId(\"S.B\", 2);", text);
    }

    [Fact]
    public void Collections_nullable_structs_enums_and_defaults_convert_element_by_element_and_compile_clean()
    {
        var text = LuaSource("""
            public enum Mode { A, B }
            [Response] public Dictionary<string, List<long>> Group(int[] values, HashSet<string> tags, Mode? mode = Mode.B, double scale = 1.5) => new();
            """);
        Assert.Contains("global::Skynet.LuaArgs.ToArray<int>(", text);
        Assert.Contains("global::Skynet.LuaArgs.ToHashSet<string>(", text);
        Assert.Contains("global::Skynet.LuaArgs.ToNullable<global::D.S.Mode>(", text);
        Assert.Contains("__args.Length > 4 ?", text); // an absent argument takes the C# default
        Assert.Contains("global::Skynet.LuaArgs.FromDictionary<", text);
    }
}
