using System.Globalization;
using Skynet.Codecs;

namespace Skynet.Runtime.Tests.TestSupport;

/// <summary>Parses the small Lua-literal language of <c>seri.tsv</c>'s first column: comma-separated values of
/// <c>nil</c>, <c>true</c>/<c>false</c>, integers, reals, <c>"strings"</c>, <c>N*"s"</c> (repetition) and table
/// constructors with positional items and <c>name=value</c> fields.</summary>
internal ref struct LuaLiteral
{
    readonly string text;
    int pos;

    LuaLiteral(string text)
    {
        this.text = text;
        pos = 0;
    }

    /// <summary>True when some table in the values has two or more hash entries, whose byte order Lua does not fix.</summary>
    public static bool HasUnorderedHash(object?[] values)
    {
        foreach (object? value in values)
        {
            if (value is LuaTable t && (t.Hash.Count > 1 || HasUnorderedHash([.. t.Array]) || HasUnorderedHash([.. t.Hash.Values])))
            {
                return true;
            }
        }
        return false;
    }

    public static object?[] ParseValues(string text)
    {
        var parser = new LuaLiteral(text);
        var values = new List<object?> { parser.Value() };
        while (parser.Accept(','))
        {
            values.Add(parser.Value());
        }
        parser.SkipSpace();
        if (parser.pos != text.Length)
        {
            throw new FormatException($"Unexpected text at {parser.pos} in '{text}'.");
        }
        return [.. values];
    }

    object? Value()
    {
        SkipSpace();
        char c = text[pos];
        if (c == '{')
        {
            return Table();
        }
        if (c == '"')
        {
            return QuotedString();
        }
        if (char.IsDigit(c) || c == '-')
        {
            int start = pos++;
            while (pos < text.Length && (char.IsDigit(text[pos]) || text[pos] == '.'))
            {
                pos++;
            }
            string number = text[start..pos];
            if (Accept('*'))
            {
                string unit = QuotedString();
                return string.Concat(Enumerable.Repeat(unit, int.Parse(number, CultureInfo.InvariantCulture)));
            }
            return number.Contains('.')
                ? (object)double.Parse(number, CultureInfo.InvariantCulture)
                : long.Parse(number, CultureInfo.InvariantCulture);
        }
        string word = Name();
        return word switch
        {
            "nil" => null,
            "true" => true,
            "false" => false,
            _ => throw new FormatException($"Unknown word '{word}' in '{text}'."),
        };
    }

    LuaTable Table()
    {
        Expect('{');
        var table = new LuaTable();
        SkipSpace();
        while (!Accept('}'))
        {
            int save = pos;
            if (char.IsLetter(text[pos]))
            {
                string name = Name();
                if (Accept('='))
                {
                    table.Hash[name] = Value();
                    Accept(',');
                    continue;
                }
                pos = save;
            }
            table.Array.Add(Value());
            Accept(',');
        }
        return table;
    }

    string QuotedString()
    {
        Expect('"');
        int end = text.IndexOf('"', pos);
        string s = text[pos..end];
        pos = end + 1;
        return s;
    }

    string Name()
    {
        SkipSpace();
        int start = pos;
        while (pos < text.Length && char.IsLetterOrDigit(text[pos]))
        {
            pos++;
        }
        return text[start..pos];
    }

    bool Accept(char c)
    {
        SkipSpace();
        if (pos < text.Length && text[pos] == c)
        {
            pos++;
            return true;
        }
        return false;
    }

    void Expect(char c)
    {
        if (!Accept(c))
        {
            throw new FormatException($"Expected '{c}' at {pos} in '{text}'.");
        }
    }

    void SkipSpace()
    {
        while (pos < text.Length && text[pos] == ' ')
        {
            pos++;
        }
    }
}
