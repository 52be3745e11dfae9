namespace Skynet.Codecs;

/// <summary>Formatter for <see cref="List{T}"/>, so lists nest inside other collections.</summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TFormatter">The element formatter.</typeparam>
public sealed class ListFormatter<T, TFormatter> : IPackFormatter<List<T>?>
    where TFormatter : IPackFormatter<T>
{
    ListFormatter()
    {
    }

    /// <inheritdoc/>
    public static void Write(ref PackWriter writer, scoped in List<T>? value) =>
        PackCollections.WriteList<T, TFormatter>(ref writer, value);

    /// <inheritdoc/>
    public static List<T>? Read(ref PackReader reader) => PackCollections.ReadList<T, TFormatter>(ref reader);
}
