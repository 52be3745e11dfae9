namespace Skynet.Codecs;

/// <summary>Formatter for <see cref="IPackable{TSelf}"/> types, so generated types nest in collections.</summary>
/// <typeparam name="T">The packable type.</typeparam>
public sealed class PackableFormatter<T> : IPackFormatter<T?>
    where T : IPackable<T>
{
    PackableFormatter()
    {
    }

    /// <inheritdoc/>
    public static void Write(ref PackWriter writer, scoped in T? value) => writer.WritePackable(in value);

    /// <inheritdoc/>
    public static T? Read(ref PackReader reader) => reader.ReadPackable<T>();
}
