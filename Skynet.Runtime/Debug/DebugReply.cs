namespace Skynet.Debugging;

/// <summary>What one console command printed: its lines, then <c>&lt;CMD OK&gt;</c> or <c>&lt;CMD Error&gt;</c>.</summary>
internal sealed record DebugReply(IReadOnlyList<string> Lines, bool Ok)
{
    /// <summary>A success with <paramref name="lines"/>.</summary>
    public static DebugReply Success(params string[] lines) => new(lines, true);

    /// <summary>A failure with <paramref name="message"/>.</summary>
    public static DebugReply Error(string message) => new([message], false);

    /// <summary>skynet's <c>dump_list</c>: one <c>key\tvalue</c> line per entry, sorted by key.</summary>
    public static DebugReply Table(IEnumerable<KeyValuePair<string, string>> rows)
    {
        var sorted = rows.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}\t{r.Value}").ToArray();
        return new(sorted, true);
    }

    /// <summary>skynet's <c>format_table</c>: <c>k:v</c> pairs sorted by key, tab-separated.</summary>
    public static string Fields(params (string Key, object? Value)[] fields) =>
        string.Join('\t', fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}:{f.Value ?? "nil"}"));

    /// <summary>The reply as the console writes it.</summary>
    public string ToText()
    {
        var text = new System.Text.StringBuilder();
        foreach (var line in Lines) text.Append(line).Append('\n');
        text.Append(Ok ? "<CMD OK>\n" : "<CMD Error>\n");
        return text.ToString();
    }
}
