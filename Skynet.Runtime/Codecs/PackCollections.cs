using System.Runtime.CompilerServices;

namespace Skynet.Codecs;

/// <summary>
/// Collection helpers for generated code, in MemoryPack's collection layout (int32 count, -1 for null, then the
/// elements). Element formatters are generic arguments (<see cref="IPackFormatter{T}"/>), so no delegate or
/// reflection runs per element.
/// </summary>
public static class PackCollections
{
    /// <summary>Writes a list: count, then each element.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <typeparam name="TFormatter">The element formatter.</typeparam>
    /// <param name="writer">The writer.</param>
    /// <param name="list">The list, or <see langword="null"/>.</param>
    public static void WriteList<T, TFormatter>(ref PackWriter writer, List<T>? list)
        where TFormatter : IPackFormatter<T>
    {
        if (list is null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }
        WriteSpan<T, TFormatter>(ref writer, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list));
    }

    /// <summary>Writes an array: count, then each element.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <typeparam name="TFormatter">The element formatter.</typeparam>
    /// <param name="writer">The writer.</param>
    /// <param name="array">The array, or <see langword="null"/>.</param>
    public static void WriteArray<T, TFormatter>(ref PackWriter writer, T[]? array)
        where TFormatter : IPackFormatter<T>
    {
        if (array is null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }
        WriteSpan<T, TFormatter>(ref writer, array);
    }

    /// <summary>Writes a span as a collection: count, then each element.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <typeparam name="TFormatter">The element formatter.</typeparam>
    /// <param name="writer">The writer.</param>
    /// <param name="items">The elements.</param>
    public static void WriteSpan<T, TFormatter>(ref PackWriter writer, scoped ReadOnlySpan<T> items)
        where TFormatter : IPackFormatter<T>
    {
        writer.WriteCollectionHeader(items.Length);
        foreach (ref readonly T item in items)
        {
            TFormatter.Write(ref writer, in item);
        }
    }

    /// <summary>Reads a list written by <see cref="WriteList{T, TFormatter}"/>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <typeparam name="TFormatter">The element formatter.</typeparam>
    /// <param name="reader">The reader.</param>
    /// <returns>The list, or <see langword="null"/>.</returns>
    /// <exception cref="PackException">The input is malformed.</exception>
    public static List<T>? ReadList<T, TFormatter>(ref PackReader reader)
        where TFormatter : IPackFormatter<T>
    {
        if (!reader.TryReadCollectionHeader(out int length))
        {
            return null;
        }
        var list = new List<T>(length);
        for (int i = 0; i < length; i++)
        {
            list.Add(TFormatter.Read(ref reader));
        }
        return list;
    }

    /// <summary>Reads an array written by <see cref="WriteArray{T, TFormatter}"/>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <typeparam name="TFormatter">The element formatter.</typeparam>
    /// <param name="reader">The reader.</param>
    /// <returns>The array, or <see langword="null"/>.</returns>
    /// <exception cref="PackException">The input is malformed.</exception>
    public static T[]? ReadArray<T, TFormatter>(ref PackReader reader)
        where TFormatter : IPackFormatter<T>
    {
        if (!reader.TryReadCollectionHeader(out int length))
        {
            return null;
        }
        var array = length == 0 ? [] : new T[length];
        for (int i = 0; i < array.Length; i++)
        {
            array[i] = TFormatter.Read(ref reader);
        }
        return array;
    }

    /// <summary>Writes a dictionary: count, then each key and value. As in MemoryPack, when
    /// <c>KeyValuePair&lt;TKey, TValue&gt;</c> holds no references each pair is written as that struct's raw layout,
    /// padding included (zeroed here).</summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TValue">The value type.</typeparam>
    /// <typeparam name="TKeyFormatter">The key formatter.</typeparam>
    /// <typeparam name="TValueFormatter">The value formatter.</typeparam>
    /// <param name="writer">The writer.</param>
    /// <param name="dictionary">The dictionary, or <see langword="null"/>.</param>
    public static void WriteDictionary<TKey, TValue, TKeyFormatter, TValueFormatter>(ref PackWriter writer, Dictionary<TKey, TValue>? dictionary)
        where TKey : notnull
        where TKeyFormatter : IPackFormatter<TKey?>
        where TValueFormatter : IPackFormatter<TValue>
    {
        if (dictionary is null)
        {
            writer.WriteNullCollectionHeader();
            return;
        }
        writer.WriteCollectionHeader(dictionary.Count);
        bool raw = !RuntimeHelpers.IsReferenceOrContainsReferences<KeyValuePair<TKey, TValue>>();
        foreach (KeyValuePair<TKey, TValue> pair in dictionary)
        {
            if (raw)
            {
                PairLayout<TKey, TValue>.Write(ref writer, pair.Key, pair.Value);
            }
            else
            {
                TKeyFormatter.Write(ref writer, pair.Key);
                TValueFormatter.Write(ref writer, pair.Value);
            }
        }
    }

    /// <summary>Reads a dictionary written by <see cref="WriteDictionary{TKey, TValue, TKeyFormatter, TValueFormatter}"/>.</summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TValue">The value type.</typeparam>
    /// <typeparam name="TKeyFormatter">The key formatter.</typeparam>
    /// <typeparam name="TValueFormatter">The value formatter.</typeparam>
    /// <param name="reader">The reader.</param>
    /// <returns>The dictionary, or <see langword="null"/>.</returns>
    /// <exception cref="PackException">The input is malformed, or holds a null or duplicate key.</exception>
    public static Dictionary<TKey, TValue>? ReadDictionary<TKey, TValue, TKeyFormatter, TValueFormatter>(ref PackReader reader)
        where TKey : notnull
        where TKeyFormatter : IPackFormatter<TKey?>
        where TValueFormatter : IPackFormatter<TValue>
    {
        if (!reader.TryReadCollectionHeader(out int length))
        {
            return null;
        }
        bool raw = !RuntimeHelpers.IsReferenceOrContainsReferences<KeyValuePair<TKey, TValue>>();
        var dictionary = new Dictionary<TKey, TValue>(length);
        for (int i = 0; i < length; i++)
        {
            TKey? key;
            TValue value;
            if (raw)
            {
                PairLayout<TKey, TValue>.Read(ref reader, out TKey rawKey, out value);
                key = rawKey;
            }
            else
            {
                key = TKeyFormatter.Read(ref reader);
                value = TValueFormatter.Read(ref reader);
            }
            if (key is null)
            {
                PackException.Throw("A dictionary key is null.");
            }
            if (!dictionary.TryAdd(key, value))
            {
                PackException.Throw($"Duplicate dictionary key '{key}'.");
            }
        }
        return dictionary;
    }
}
