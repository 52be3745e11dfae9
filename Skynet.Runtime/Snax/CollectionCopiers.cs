using System.ComponentModel;

namespace Skynet.Codecs;

/// <summary>Copies a <see cref="List{T}"/> element by element with <typeparamref name="TCopier"/>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ListCopier<T, TCopier> : IDeepCopier<List<T>?>
    where TCopier : IDeepCopier<T>
{
    ListCopier()
    {
    }

    /// <inheritdoc/>
    public static List<T>? Copy(List<T>? value)
    {
        if (value is null) return null;
        var copy = new List<T>(value.Count);
        foreach (var item in value) copy.Add(TCopier.Copy(item));
        return copy;
    }
}

/// <summary>Copies an array element by element with <typeparamref name="TCopier"/>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ArrayCopier<T, TCopier> : IDeepCopier<T[]?>
    where TCopier : IDeepCopier<T>
{
    ArrayCopier()
    {
    }

    /// <inheritdoc/>
    public static T[]? Copy(T[]? value)
    {
        if (value is null) return null;
        var copy = new T[value.Length];
        for (var i = 0; i < value.Length; i++) copy[i] = TCopier.Copy(value[i]);
        return copy;
    }
}

/// <summary>Copies a <see cref="Dictionary{TKey, TValue}"/> (keeping its comparer) entry by entry.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class DictionaryCopier<TKey, TValue, TKeyCopier, TValueCopier> : IDeepCopier<Dictionary<TKey, TValue>?>
    where TKey : notnull
    where TKeyCopier : IDeepCopier<TKey>
    where TValueCopier : IDeepCopier<TValue>
{
    DictionaryCopier()
    {
    }

    /// <inheritdoc/>
    public static Dictionary<TKey, TValue>? Copy(Dictionary<TKey, TValue>? value)
    {
        if (value is null) return null;
        var copy = new Dictionary<TKey, TValue>(value.Count, value.Comparer);
        foreach (var (key, item) in value) copy.Add(TKeyCopier.Copy(key), TValueCopier.Copy(item));
        return copy;
    }
}

/// <summary>Copies a <see cref="HashSet{T}"/> (keeping its comparer) element by element.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class HashSetCopier<T, TCopier> : IDeepCopier<HashSet<T>?>
    where TCopier : IDeepCopier<T>
{
    HashSetCopier()
    {
    }

    /// <inheritdoc/>
    public static HashSet<T>? Copy(HashSet<T>? value)
    {
        if (value is null) return null;
        var copy = new HashSet<T>(value.Count, value.Comparer);
        foreach (var item in value) copy.Add(TCopier.Copy(item));
        return copy;
    }
}
