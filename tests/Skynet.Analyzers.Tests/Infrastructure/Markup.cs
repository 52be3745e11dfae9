using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace Skynet.Analyzers.Tests.Infrastructure;

/// <summary>Test sources mark expected diagnostic spans with <c>[|...|]</c>.</summary>
public static class Markup
{
    public static (string Source, List<TextSpan> Spans) Parse(string markup)
    {
        var text = new StringBuilder(markup.Length);
        var spans = new List<TextSpan>();
        var open = new Stack<int>();
        for (var i = 0; i < markup.Length; i++)
        {
            if (markup[i] == '[' && i + 1 < markup.Length && markup[i + 1] == '|') { open.Push(text.Length); i++; continue; }
            if (markup[i] == '|' && i + 1 < markup.Length && markup[i + 1] == ']') { var start = open.Pop(); spans.Add(TextSpan.FromBounds(start, text.Length)); i++; continue; }
            text.Append(markup[i]);
        }
        Assert.Empty(open);
        spans.Sort((a, b) => a.Start.CompareTo(b.Start));
        return (text.ToString(), spans);
    }
}
