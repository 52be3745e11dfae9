namespace Skynet.Codecs;

/// <summary>Formatter for <see cref="Dictionary{TKey, TValue}"/>, so dictionaries nest inside other collections.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
/// <typeparam name="TKeyFormatter">The key formatter.</typeparam>
/// <typeparam name="TValueFormatter">The value formatter.</typeparam>
public sealed class DictionaryFormatter<TKey, TValue, TKeyFormatter, TValueFormatter> : IPackFormatter<Dictionary<TKey, TValue>?>
    where TKey : notnull
    where TKeyFormatter : IPackFormatter<TKey?>
    where TValueFormatter : IPackFormatter<TValue>
{
    DictionaryFormatter()
    {
    }

    /// <inheritdoc/>
    public static void Write(ref PackWriter writer, scoped in Dictionary<TKey, TValue>? value) =>
        PackCollections.WriteDictionary<TKey, TValue, TKeyFormatter, TValueFormatter>(ref writer, value);

    /// <inheritdoc/>
    public static Dictionary<TKey, TValue>? Read(ref PackReader reader) =>
        PackCollections.ReadDictionary<TKey, TValue, TKeyFormatter, TValueFormatter>(ref reader);
}
