namespace Skynet.Codecs;

/// <summary>
/// Formatter for <c>Nullable&lt;T&gt;</c> of a <see cref="IPackable{TSelf}"/> struct that holds references, in
/// MemoryPack's layout (<c>Formatters/NullableFormatter.cs</c>): the null object header (255) for no value, otherwise
/// the object header 1 followed by the value. (A nullable of an unmanaged packable struct is the raw
/// <c>Nullable&lt;T&gt;</c> memory instead: <see cref="NullableFormatter{T}"/>.)
/// </summary>
/// <typeparam name="T">The packable struct.</typeparam>
public sealed class NullablePackableFormatter<T> : IPackFormatter<T?>
    where T : struct, IPackable<T>
{
    NullablePackableFormatter()
    {
    }

    /// <inheritdoc/>
    public static void Write(ref PackWriter writer, scoped in T? value)
    {
        if (!value.HasValue)
        {
            writer.WriteNullObjectHeader();
            return;
        }
        writer.WriteObjectHeader(1);
        var inner = value.GetValueOrDefault();
        writer.WritePackable(in inner);
    }

    /// <inheritdoc/>
    public static T? Read(ref PackReader reader)
    {
        if (!reader.TryReadObjectHeader(out var count)) return null;
        if (count != 1) PackException.Throw($"A nullable {typeof(T).Name} has an object header of 1; the input has {count}.");
        return reader.ReadPackable<T>();
    }
}
