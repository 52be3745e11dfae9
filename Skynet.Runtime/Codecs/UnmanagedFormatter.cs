namespace Skynet.Codecs;

/// <summary>Formatter for primitives, enums and padding-free unmanaged structs: their raw little-endian memory.</summary>
/// <typeparam name="T">An unmanaged type.</typeparam>
public sealed class UnmanagedFormatter<T> : IPackFormatter<T>
    where T : unmanaged
{
    UnmanagedFormatter()
    {
    }

    /// <inheritdoc/>
    public static void Write(ref PackWriter writer, scoped in T value) => writer.WriteUnmanaged(in value);

    /// <inheritdoc/>
    public static T Read(ref PackReader reader) => reader.ReadUnmanaged<T>();
}
