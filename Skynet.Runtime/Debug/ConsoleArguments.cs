using System.Globalization;
using System.Text;

namespace Skynet.Debugging;

/// <summary>
/// Turns the words after <c>call addr</c> / <c>send addr</c> into message arguments, as skynet evaluates them as Lua
/// literals: integers, decimals, <c>true</c>/<c>false</c>/<c>nil</c>, <c>"quoted strings"</c>, bare words as strings.
/// </summary>
static class ConsoleArguments
{
    /// <exception cref="FormatException">An unterminated quote.</exception>
    public static object?[] Parse(string text)
    {
        var args = new List<object?>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i >= text.Length) break;
            if (text[i] is '"' or '\'')
            {
                var quote = text[i++];
                var value = new StringBuilder();
                while (true)
                {
                    if (i >= text.Length) throw new FormatException("Invalid arguments: unterminated string");
                    var c = text[i++];
                    if (c == quote) break;
                    if (c == '\\' && i < text.Length)
                    {
                        c = text[i++];
                        c = c switch { 'n' => '\n', 't' => '\t', 'r' => '\r', '0' => '\0', _ => c };
                    }
                    value.Append(c);
                }
                args.Add(value.ToString());
                continue;
            }
            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i])) i++;
            args.Add(Literal(text[start..i]));
        }
        return [.. args];
    }

    static object? Literal(string word) => word switch
    {
        "nil" => null,
        "true" => true,
        "false" => false,
        _ when int.TryParse(word, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var small) => small,
        _ when long.TryParse(word, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var large) => large,
        _ when double.TryParse(word, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) => real,
        _ => word,
    };

    /// <summary>Converts a parsed argument to a handler's parameter type (numbers widen or narrow, anything becomes a string).</summary>
    /// <exception cref="FormatException">The value does not fit the type.</exception>
    public static object? ConvertTo(object? value, Type type)
    {
        if (value is null) return null;
        if (type.IsInstanceOfType(value)) return value;
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target == typeof(string)) return Convert.ToString(value, CultureInfo.InvariantCulture);
        try { return Convert.ChangeType(value, target, CultureInfo.InvariantCulture); }
        catch (Exception ex) when (ex is InvalidCastException or OverflowException or FormatException)
        {
            throw new FormatException($"'{value}' does not fit a {target.Name} parameter.", ex);
        }
    }

    /// <summary>Formats a reply the way skynet's console prints values.</summary>
    public static string Format(object? value) => value switch
    {
        null => "nil",
        bool b => b ? "true" : "false",
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        object?[] list => string.Join('\t', list.Select(Format)),
        _ => value.ToString() ?? "",
    };
}
