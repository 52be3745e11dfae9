using MemoryPack;

namespace Skynet;

/// <summary>Parses MemoryPack binary sheets for <see cref="SharedDataClient.LoadMemoryPack{T}"/>.</summary>
internal static class SharedSheet
{
    /// <summary>
    /// A parser that takes the whole file as one <typeparamref name="T"/>: anything MemoryPack rejects, a null root,
    /// or bytes left over after the value (a file that is not what it claims to be) is an <see cref="InvalidDataException"/>
    /// naming the file.
    /// </summary>
    public static Func<byte[], object> Parser<T>(string path) => bytes =>
    {
        T? value = default;
        int read;
        try
        {
            read = MemoryPackSerializer.Deserialize(bytes, ref value);
        }
        catch (Exception ex) when (ex is MemoryPackSerializationException or ArgumentException or IndexOutOfRangeException or InvalidOperationException or OverflowException or EndOfStreamException)
        {
            // MemoryPack reports a truncated buffer or a bad length as one of these, depending on where it ran out.
            throw new InvalidDataException($"{path} is not a MemoryPack {typeof(T).Name} ({bytes.Length} bytes): {ex.Message}", ex);
        }
        if (read != bytes.Length)
            throw new InvalidDataException($"{path} is not a MemoryPack {typeof(T).Name}: {bytes.Length - read} byte(s) follow the value");
        return value ?? throw new InvalidDataException($"{path} holds a null {typeof(T).Name}, not a table");
    };
}
