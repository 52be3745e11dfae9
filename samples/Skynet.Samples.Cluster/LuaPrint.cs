using System.Globalization;
using Skynet.Codecs;

namespace Skynet.Samples.ClusterNodes;

/// <summary>Lua's <c>print</c>: values as <c>tostring</c> shows them, separated by tabs.</summary>
public static class LuaPrint
{
    /// <summary>Formats one line: an <c>object?[]</c> reply prints as several values.</summary>
    public static string Line(params object?[] values) =>
        string.Join('\t', values.SelectMany(v => v is object?[] many ? many : [v]).Select(ToString));

    /// <summary>Lua's <c>tostring</c> for the values <c>skynet.unpack</c> produces.</summary>
    public static string ToString(object? value) => value switch
    {
        null => "nil",
        bool b => b ? "true" : "false",
        double d => d.ToString("G14", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
        LuaTable => "table",
        _ => value.ToString() ?? "",
    };
}
