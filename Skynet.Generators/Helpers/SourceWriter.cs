using System;
using System.Text;

namespace Skynet.Generators.Helpers
{
    /// <summary>
    /// Writes C# text with indentation; multi-line strings are split and each line re-indented, so raw string
    /// literals can be written at any depth. Blocks must balance: closing one that is not open, or leaving one open at
    /// the end, throws. (After dotnet/runtime's SourceGenerators SourceWriter.)
    /// </summary>
    internal sealed class SourceWriter
    {
        readonly StringBuilder _text = new StringBuilder();
        int _indent;

        public void WriteLine(string text = "")
        {
            if (text.IndexOf('\n') >= 0)
            {
                foreach (var line in text.Replace("\r\n", "\n").Split('\n')) WriteLine(line);
                return;
            }
            if (text.Length == 0)
            {
                // One blank line separates members: none after an opening brace, never two in a row.
                if (_text.Length == 0 || EndsWith("\n\n") || EndsWith("{\n")) return;
                _text.Append('\n');
                return;
            }
            if (text.StartsWith("}", StringComparison.Ordinal) && EndsWith("\n\n")) _text.Length--;
            foreach (var line in LineWrapper.Wrap(text, _indent)) _text.Append(line).Append('\n');
        }

        public void OpenBlock(string? header = null)
        {
            if (header != null) WriteLine(header);
            WriteLine("{");
            _indent++;
        }

        public void CloseBlock(string suffix = "")
        {
            if (_indent == 0) throw new InvalidOperationException("CloseBlock without an open block: the emitter closed more than it opened.");
            _indent--;
            WriteLine("}" + suffix);
        }

        public void Indent() => _indent++;

        public void Unindent()
        {
            if (_indent == 0) throw new InvalidOperationException("Unindent below the left margin: the emitter unindented more than it indented.");
            _indent--;
        }

        bool EndsWith(string tail)
        {
            if (_text.Length < tail.Length) return false;
            for (var i = 0; i < tail.Length; i++)
                if (_text[_text.Length - tail.Length + i] != tail[i]) return false;
            return true;
        }

        /// <summary>The text; throws if a block or indent is still open, which would be an emitter bug producing unbalanced code.</summary>
        public override string ToString()
        {
            if (_indent != 0) throw new InvalidOperationException($"{_indent} block(s) or indent(s) left open at the end of the file.");
            return _text.ToString();
        }
    }
}
