namespace Skynet.Codecs;

/// <summary>Formatter for strings, in MemoryPack's UTF-8 form.</summary>
public sealed class StringFormatter : IPackFormatter<string?>
{
    StringFormatter()
    {
    }

    /// <inheritdoc/>
    public static void Write(ref PackWriter writer, scoped in string? value) => writer.WriteString(value);

    /// <inheritdoc/>
    public static string? Read(ref PackReader reader) => reader.ReadString();
}
