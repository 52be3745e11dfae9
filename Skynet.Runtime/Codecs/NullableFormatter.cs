namespace Skynet.Codecs;

/// <summary>Formatter for nullable unmanaged values, in MemoryPack's raw <c>Nullable&lt;T&gt;</c> layout.</summary>
/// <typeparam name="T">An unmanaged type.</typeparam>
public sealed class NullableFormatter<T> : IPackFormatter<T?>
    where T : unmanaged
{
    NullableFormatter()
    {
    }

    /// <inheritdoc/>
    public static void Write(ref PackWriter writer, scoped in T? value) => writer.WriteNullable(in value);

    /// <inheritdoc/>
    public static T? Read(ref PackReader reader) => reader.ReadNullable<T>();
}
