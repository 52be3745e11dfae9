using System.Collections.Generic;

namespace Skynet.Generators.Helpers
{
    /// <summary>
    /// Breaks a generated line that would pass <see cref="MaxLength"/> the way a person would: before a top-level
    /// <c>=&gt;</c> or <c>where</c>, else after the first bracket whose arguments can go one a line, else after a
    /// parenthesis around one long argument, else before <c>&amp;&amp;</c>; doc comments break between words. Fully qualified type names make generated lines long, and a
    /// user stepping through them should not scroll sideways.
    /// </summary>
    internal static class LineWrapper
    {
        public const int MaxLength = 160;

        /// <summary>The lines <paramref name="text"/> becomes at <paramref name="indent"/> levels, each with its indentation.</summary>
        public static List<string> Wrap(string text, int indent)
        {
            var lines = new List<string>();
            // A line of a template brings its own indentation; continuation lines go one level deeper than it.
            var lead = text.Length - text.TrimStart(' ').Length;
            indent += lead / 4;
            text = text.Substring(lead - lead % 4);
            if (text.StartsWith("///", System.StringComparison.Ordinal)) WrapComment(text, indent, lines);
            else WrapCode(text, indent, lines);
            return lines;
        }

        static string Pad(int indent) => new string(' ', indent * 4);

        static bool Fits(string text, int indent) => indent * 4 + text.Length <= MaxLength;

        static void WrapComment(string text, int indent, List<string> lines)
        {
            var rest = text.Substring(3).TrimStart();
            while (!Fits("/// " + rest, indent))
            {
                var room = MaxLength - indent * 4 - 4;
                if (room <= 0) break;
                // Between words, never inside a tag such as <see cref="..."/>.
                var cut = rest.LastIndexOf(' ', room);
                while (cut > 0 && rest.LastIndexOf('<', cut) > rest.LastIndexOf('>', cut)) cut = rest.LastIndexOf(' ', cut - 1);
                if (cut <= 0) break;
                lines.Add(Pad(indent) + "/// " + rest.Substring(0, cut));
                rest = rest.Substring(cut + 1);
            }
            lines.Add(Pad(indent) + "/// " + rest);
        }

        static void WrapCode(string text, int indent, List<string> lines)
        {
            if (Fits(text, indent) || text.StartsWith("//", System.StringComparison.Ordinal))
            {
                lines.Add(Pad(indent) + text);
                return;
            }
            var depths = Depths(text, out var pairs);

            // 1. Before a top-level "=>" or "where": the declaration stays on its line, the body goes below.
            var cuts = new List<int>();
            foreach (var word in new[] { " where ", " => " })
                for (var i = text.IndexOf(word, System.StringComparison.Ordinal); i > 0; i = text.IndexOf(word, i + 1, System.StringComparison.Ordinal))
                    if (depths[i] == 0) cuts.Add(i);
            if (cuts.Count > 0)
            {
                cuts.Sort();
                WrapCode(text.Substring(0, cuts[0]), indent, lines);
                for (var k = 0; k < cuts.Count; k++)
                {
                    var end = k + 1 < cuts.Count ? cuts[k + 1] : text.Length;
                    WrapCode(text.Substring(cuts[k] + 1, end - cuts[k] - 1), indent + 1, lines);
                }
                return;
            }

            // 2. After the first bracket whose arguments can go one a line.
            foreach (var (open, close) in pairs)
            {
                if (!Fits(text.Substring(0, open + 1), indent)) break;
                var items = TopLevelCommas(text, depths, open, close);
                if (items.Count < 2) continue;
                var head = text.Substring(0, open + 1);
                var tail = text.Substring(close);
                if (text[open] == '{')
                {
                    WrapCode(head.Substring(0, head.Length - 1).TrimEnd(), indent, lines);
                    lines.Add(Pad(indent) + "{");
                    foreach (var item in items) WrapCode(item + ",", indent + 1, lines);
                    WrapCode(tail, indent, lines);
                    return;
                }
                lines.Add(Pad(indent) + head);
                for (var k = 0; k < items.Count; k++)
                    WrapCode(k + 1 < items.Count ? items[k] + "," : items[k] + tail, indent + 1, lines);
                return;
            }

            // 3. After the first parenthesis around a single long argument.
            foreach (var (open, close) in pairs)
            {
                if (!Fits(text.Substring(0, open + 1), indent)) break;
                if (text[open] != '(' || close - open < 2) continue;
                lines.Add(Pad(indent) + text.Substring(0, open + 1));
                WrapCode(text.Substring(open + 1).Trim(), indent + 1, lines);
                return;
            }

            // 4. Before "&&".
            var and = text.IndexOf(" && ", System.StringComparison.Ordinal);
            if (and > 0)
            {
                lines.Add(Pad(indent) + text.Substring(0, and));
                WrapCode(text.Substring(and + 1), indent + 1, lines);
                return;
            }
            lines.Add(Pad(indent) + text);
        }

        /// <summary>The arguments between <paramref name="open"/> and <paramref name="close"/>, split at their own commas.</summary>
        static List<string> TopLevelCommas(string text, int[] depths, int open, int close)
        {
            var items = new List<string>();
            var inner = depths[open] + 1;
            var start = open + 1;
            for (var i = open + 1; i < close; i++)
            {
                if (text[i] != ',' || depths[i] != inner) continue;
                items.Add(text.Substring(start, i - start).Trim());
                start = i + 1;
            }
            var last = text.Substring(start, close - start).Trim();
            if (last.Length > 0) items.Add(last);
            return items;
        }

        /// <summary>
        /// The bracket depth at each character (strings and chars count as depth -1, so nothing breaks inside them),
        /// and the bracket pairs in the order they open. A <c>&lt;</c> opens only straight after a name (a generic).
        /// </summary>
        static int[] Depths(string text, out List<(int Open, int Close)> pairs)
        {
            var depths = new int[text.Length];
            var stack = new Stack<int>();
            var found = new List<(int Open, int Close)>();
            var depth = 0;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '"' || c == '\'')
                {
                    var start = i;
                    for (i++; i < text.Length && text[i] != c; i++)
                        if (text[i] == '\\') i++;
                    for (var j = start; j <= i && j < text.Length; j++) depths[j] = -1;
                    continue;
                }
                var isOpen = c is '(' or '[' or '{' || (c == '<' && i > 0 && (char.IsLetterOrDigit(text[i - 1]) || text[i - 1] == '_'));
                var isClose = stack.Count > 0 && (c is ')' or ']' or '}' || (c == '>' && text[stack.Peek()] == '<'));
                if (isOpen)
                {
                    depths[i] = depth++;
                    stack.Push(i);
                }
                else if (isClose && Matches(text[stack.Peek()], c))
                {
                    depths[i] = --depth;
                    found.Add((stack.Pop(), i));
                }
                else
                {
                    depths[i] = depth;
                }
            }
            found.Sort((a, b) => a.Open.CompareTo(b.Open));
            pairs = found;
            return depths;
        }

        static bool Matches(char open, char close) =>
            (open, close) is ('(', ')') or ('[', ']') or ('{', '}') or ('<', '>');
    }
}
