using System.Collections;
using System.Text;
using Skynet.Sproto;

namespace Skynet.Modules.Tests.Sproto;

/// <summary>The same canonical text the vector script prints for a Lua value, for a decoded C# value.</summary>
internal static class Canonical
{
    public static string Of(object? value) => value switch
    {
        null => "nil",
        bool b => b ? "true" : "false",
        long n => $"i:{n}",
        double d => $"f:{BitConverter.DoubleToInt64Bits(d):x16}",
        string s => $"x:{Convert.ToHexStringLower(Encoding.UTF8.GetBytes(s))}",
        byte[] bytes => $"x:{Convert.ToHexStringLower(bytes)}",
        SprotoObject obj => Table(obj.Select(kv => (Of(kv.Key), Of(kv.Value)))),
        IDictionary map => Table(Entries(map)),
        IList list => Table(list.Cast<object?>().Select((v, i) => (Of((long)(i + 1)), Of(v)))),
        _ => throw new InvalidOperationException($"no canonical form for {value.GetType()}"),
    };

    static IEnumerable<(string, string)> Entries(IDictionary map)
    {
        foreach (DictionaryEntry e in map) yield return (Of(e.Key), Of(e.Value));
    }

    static string Table(IEnumerable<(string Key, string Value)> items)
    {
        var parts = items.Select(kv => $"{kv.Key}={kv.Value}").ToList();
        parts.Sort(StringComparer.Ordinal);
        return "{" + string.Join(",", parts) + "}";
    }
}
