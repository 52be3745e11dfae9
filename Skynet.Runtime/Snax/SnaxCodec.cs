using Skynet.Codecs;

namespace Skynet;

/// <summary>
/// Bytes for snax calls that leave the process (cluster, client protocols): a request is the method id (int32) then
/// the arguments as one MemoryPack object; a result is the return value in MemoryPack's layout. In-process calls
/// never use these.
/// </summary>
public static class SnaxCodec
{
    /// <summary>Packs a request for <typeparamref name="T"/>.</summary>
    /// <exception cref="PackException">An argument cannot be packed.</exception>
    public static byte[] PackRequest<T>(SnaxMessage message) where T : Service, ISnaxService<T>
    {
        ArgumentNullException.ThrowIfNull(message);
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new PackWriter(output);
        T.PackRequest(ref writer, message);
        writer.Flush();
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Unpacks a request that must fill <paramref name="data"/> exactly.</summary>
    /// <exception cref="PackException">The bytes are malformed (the only exception thrown for bad input).</exception>
    public static SnaxMessage UnpackRequest<T>(ReadOnlySpan<byte> data) where T : Service, ISnaxService<T>
    {
        var reader = new PackReader(data);
        var message = T.UnpackRequest(ref reader);
        reader.EnsureEnd();
        return message;
    }

    /// <summary>Packs the result of method <paramref name="methodId"/>.</summary>
    public static byte[] PackResult<T>(int methodId, object? result) where T : Service, ISnaxService<T>
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new PackWriter(output);
        T.PackResult(methodId, ref writer, result);
        writer.Flush();
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Unpacks the result of method <paramref name="methodId"/>; it must fill <paramref name="data"/> exactly.</summary>
    /// <exception cref="PackException">The bytes are malformed.</exception>
    public static object? UnpackResult<T>(int methodId, ReadOnlySpan<byte> data) where T : Service, ISnaxService<T>
    {
        var reader = new PackReader(data);
        var result = T.UnpackResult(methodId, ref reader);
        reader.EnsureEnd();
        return result;
    }
}
