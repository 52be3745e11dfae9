namespace Skynet.Codecs;

/// <summary>Formatter for arrays, so arrays nest inside other collections.</summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TFormatter">The element formatter.</typeparam>
public sealed class ArrayFormatter<T, TFormatter> : IPackFormatter<T[]?>
    where TFormatter : IPackFormatter<T>
{
    ArrayFormatter()
    {
    }

    /// <inheritdoc/>
    public static void Write(ref PackWriter writer, scoped in T[]? value) =>
        PackCollections.WriteArray<T, TFormatter>(ref writer, value);

    /// <inheritdoc/>
    public static T[]? Read(ref PackReader reader) => PackCollections.ReadArray<T, TFormatter>(ref reader);
}
