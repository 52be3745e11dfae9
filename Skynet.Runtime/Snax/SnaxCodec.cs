using System.Buffers;
using Skynet.Codecs;

namespace Skynet;

/// <summary>
/// The snax byte form, for calls that leave the process (cluster, client protocols): a request is the method id
/// (int32, little-endian) then the arguments as one MemoryPack object; a result is the return value as
/// <c>MemoryPackSerializer</c> writes it. In-process calls never use these (see <c>docs/codecs.md</c>).
/// </summary>
/// <remarks>
/// Decoding treats its input as hostile: malformed bytes fail that one call with a <see cref="PackException"/> (the
/// MemoryPack error, if any, is its inner exception); lengths are checked by MemoryPack against the bytes that remain
/// before anything is allocated.
/// </remarks>
public static class SnaxCodec
{
    /// <summary>Appends the byte form of a request for <typeparamref name="T"/> to <paramref name="output"/>.</summary>
    /// <exception cref="PackException">The method id is unknown, or an argument cannot be packed.</exception>
    public static void PackRequest<T>(IBufferWriter<byte> output, SnaxMessage message) where T : Service, ISnaxService<T>
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(message);
        T.PackRequest(output, message);
    }

    /// <summary>Packs a request for <typeparamref name="T"/> into a new array.</summary>
    /// <exception cref="PackException">The method id is unknown, or an argument cannot be packed.</exception>
    public static byte[] PackRequest<T>(SnaxMessage message) where T : Service, ISnaxService<T>
    {
        var output = new ArrayBufferWriter<byte>();
        PackRequest<T>(output, message);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Unpacks a request that must fill <paramref name="data"/> exactly.</summary>
    /// <exception cref="PackException">The bytes are malformed (the only exception bad input raises).</exception>
    public static SnaxMessage UnpackRequest<T>(ReadOnlySpan<byte> data) where T : Service, ISnaxService<T> => T.UnpackRequest(data);

    /// <summary>Unpacks a request that must fill <paramref name="data"/> exactly.</summary>
    /// <exception cref="PackException">The bytes are malformed.</exception>
    public static SnaxMessage UnpackRequest<T>(in ReadOnlySequence<byte> data) where T : Service, ISnaxService<T> => T.UnpackRequest(in data);

    /// <summary>Appends the byte form of the result of method <paramref name="methodId"/> to <paramref name="output"/>.</summary>
    /// <exception cref="PackException">The method id is unknown, or the result cannot be packed.</exception>
    public static void PackResult<T>(IBufferWriter<byte> output, int methodId, object? result) where T : Service, ISnaxService<T>
    {
        ArgumentNullException.ThrowIfNull(output);
        T.PackResult(output, methodId, result);
    }

    /// <summary>Packs the result of method <paramref name="methodId"/> into a new array.</summary>
    /// <exception cref="PackException">The method id is unknown, or the result cannot be packed.</exception>
    public static byte[] PackResult<T>(int methodId, object? result) where T : Service, ISnaxService<T>
    {
        var output = new ArrayBufferWriter<byte>();
        PackResult<T>(output, methodId, result);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Unpacks the result of method <paramref name="methodId"/>; it must fill <paramref name="data"/> exactly.</summary>
    /// <exception cref="PackException">The bytes are malformed or the method id is unknown.</exception>
    public static object? UnpackResult<T>(int methodId, ReadOnlySpan<byte> data) where T : Service, ISnaxService<T> => T.UnpackResult(methodId, data);

    /// <summary>Unpacks the result of method <paramref name="methodId"/>; it must fill <paramref name="data"/> exactly.</summary>
    /// <exception cref="PackException">The bytes are malformed or the method id is unknown.</exception>
    public static object? UnpackResult<T>(int methodId, in ReadOnlySequence<byte> data) where T : Service, ISnaxService<T> => T.UnpackResult(methodId, in data);
}
