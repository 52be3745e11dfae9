namespace Skynet.Codecs;

/// <summary>
/// Writes and reads values of <typeparamref name="T"/>. Implementations are stateless types whose static
/// members are passed as generic arguments (for example <c>PackCollections.WriteList&lt;string?, StringFormatter&gt;</c>),
/// so composing formatters for nested collections costs no allocation and no virtual call.
/// </summary>
/// <typeparam name="T">The value type handled.</typeparam>
public interface IPackFormatter<T>
{
    /// <summary>Writes one value.</summary>
    /// <param name="writer">The writer to append to.</param>
    /// <param name="value">The value to write.</param>
    static abstract void Write(ref PackWriter writer, scoped in T value);

    /// <summary>Reads one value.</summary>
    /// <param name="reader">The reader positioned at the value.</param>
    /// <returns>The value read.</returns>
    /// <exception cref="PackException">The input is malformed.</exception>
    static abstract T Read(ref PackReader reader);
}
