namespace Skynet.Sproto;

/// <summary>
/// A decoded sproto struct, or one to encode: field name to value, like the Lua table skynet's sproto reads and
/// writes. Values are <see cref="long"/> (<c>integer</c>), <see cref="double"/> (<c>double</c>, and <c>integer(n)</c>
/// decimals), <see cref="bool"/>, <see cref="string"/>, <see cref="byte"/>[] (<c>binary</c>), nested
/// <see cref="SprotoObject"/>s, <see cref="List{T}"/> of <see cref="object"/> (<c>*T</c>) and
/// <see cref="Dictionary{TKey,TValue}"/> of object to object (<c>*T(key)</c> and <c>*T()</c> maps). A missing or
/// null field is not encoded (nil in Lua).
/// </summary>
/// <remarks>
/// When encoding, the encoder is lenient the way Lua is: any integral number fits an <c>integer</c>, any number a
/// <c>double</c> or decimal, any <see cref="System.Collections.IEnumerable"/> an array, any
/// <see cref="System.Collections.IDictionary"/> a map (its values for <c>*T(key)</c>, its entries for <c>*T()</c>).
/// </remarks>
public sealed class SprotoObject : Dictionary<string, object?>
{
    /// <summary>Creates an empty object.</summary>
    public SprotoObject()
        : base(StringComparer.Ordinal)
    {
    }

    /// <summary>The value of <paramref name="field"/> as <typeparamref name="T"/>, or default when absent.</summary>
    /// <typeparam name="T">The expected CLR type (see the class remarks).</typeparam>
    /// <param name="field">The field's name.</param>
    public T? Get<T>(string field) => TryGetValue(field, out var v) && v is T t ? t : default;
}
