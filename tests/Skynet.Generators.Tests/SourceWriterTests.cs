using Skynet.Generators.Helpers;

namespace Skynet.Generators.Tests;

public sealed class SourceWriterTests
{
    [Fact]
    public void A_block_left_open_or_closed_twice_is_an_emitter_bug_not_unbalanced_code()
    {
        var open = new SourceWriter();
        open.OpenBlock("class A");
        Assert.Throws<InvalidOperationException>(open.ToString);

        var closedTwice = new SourceWriter();
        closedTwice.OpenBlock("class A");
        closedTwice.CloseBlock();
        Assert.Throws<InvalidOperationException>(() => closedTwice.CloseBlock());
        Assert.Throws<InvalidOperationException>(closedTwice.Unindent);
    }

    [Fact]
    public void A_multi_line_raw_string_is_indented_at_the_current_depth_keeping_its_own_relative_indentation()
    {
        var w = new SourceWriter();
        w.OpenBlock("class A");
        w.WriteLine("""
            void M()
            {
                N();
            }

            """);
        w.WriteLine("int F;");
        w.CloseBlock();
        Assert.Equal("class A\n{\n    void M()\n    {\n        N();\n    }\n\n    int F;\n}\n", w.ToString());
    }

    [Fact]
    public void Blank_lines_never_double_nor_open_or_close_a_block()
    {
        var w = new SourceWriter();
        w.WriteLine();
        w.OpenBlock("class A");
        w.WriteLine();
        w.WriteLine("int F;");
        w.WriteLine();
        w.WriteLine();
        w.WriteLine("int G;");
        w.WriteLine();
        w.CloseBlock();
        Assert.Equal("class A\n{\n    int F;\n\n    int G;\n}\n", w.ToString());
    }

    [Fact]
    public void A_long_line_breaks_where_a_person_would_break_it()
    {
        var w = new SourceWriter();
        var type = "global::System.Collections.Generic.List<global::System.Int32>";
        w.WriteLine($"public static {type} Make({type} first, {type} second) => new {type}(first);");
        var lines = w.ToString().TrimEnd('\n').Split('\n');
        Assert.All(lines, l => Assert.True(l.Length <= LineWrapper.MaxLength, l));
        Assert.Equal($"public static {type} Make(", lines[0]);
        Assert.Equal($"    {type} first,", lines[1]);
        Assert.Equal($"    {type} second)", lines[2]);
        Assert.Equal($"    => new {type}(first);", lines[3]);
    }
}
