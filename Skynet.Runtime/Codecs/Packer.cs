using System.Buffers;

namespace Skynet.Codecs;

/// <summary>Whole-message entry points around <see cref="PackWriter"/> and <see cref="PackReader"/>, for callers
/// that cannot hold a ref struct (async methods, lambdas).</summary>
public static class Packer
{
    /// <summary>Packs <paramref name="value"/> into a new array.</summary>
    /// <typeparam name="T">The packable type.</typeparam>
    /// <param name="value">The value, or <see langword="null"/>.</param>
    /// <returns>The bytes.</returns>
    public static byte[] Pack<T>(in T? value)
        where T : IPackable<T>
    {
        var output = new ArrayBufferWriter<byte>();
        Pack(output, in value);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Packs <paramref name="value"/> onto <paramref name="output"/>.</summary>
    /// <typeparam name="T">The packable type.</typeparam>
    /// <param name="output">The destination.</param>
    /// <param name="value">The value, or <see langword="null"/>.</param>
    /// <returns>The number of bytes written.</returns>
    public static int Pack<T>(IBufferWriter<byte> output, in T? value)
        where T : IPackable<T>
    {
        var writer = new PackWriter(output);
        writer.WritePackable(in value);
        writer.Flush();
        return writer.WrittenCount;
    }

    /// <summary>Unpacks one value that must fill <paramref name="data"/> exactly.</summary>
    /// <typeparam name="T">The packable type.</typeparam>
    /// <param name="data">The bytes of one message.</param>
    /// <returns>The value, or <see langword="null"/>.</returns>
    /// <exception cref="PackException">The input is malformed or has bytes left over.</exception>
    public static T? Unpack<T>(ReadOnlySpan<byte> data)
        where T : IPackable<T>
    {
        var reader = new PackReader(data);
        T? value = reader.ReadPackable<T>();
        reader.EnsureEnd();
        return value;
    }
}
