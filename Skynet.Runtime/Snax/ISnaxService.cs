using System.Buffers;
using System.ComponentModel;
using Skynet.Codecs;

namespace Skynet;

/// <summary>
/// Implemented by the generator on every <c>[Service]</c> class: what the runtime needs to know about it without
/// reflection (its slots, and the snax byte form of its requests and results for calls that leave the process).
/// </summary>
/// <remarks>
/// The byte form (see <c>docs/codecs.md</c>): a request is the method id (int32, little-endian) followed by the
/// arguments as one MemoryPack object, exactly the bytes <c>MemoryPackSerializer</c> writes for a
/// <c>[MemoryPackable]</c> class whose members are the parameters in order; a result is the return value as
/// <c>MemoryPackSerializer.Serialize</c> writes it. In-process calls never use these members. Prefer the
/// <see cref="SnaxCodec"/> wrappers, which take the service type as a generic argument.
/// </remarks>
/// <typeparam name="TSelf">The service type.</typeparam>
public interface ISnaxService<TSelf>
    where TSelf : Service, ISnaxService<TSelf>
{
    /// <summary>The hot-fixable slots of the type.</summary>
    static abstract SnaxSlotTable SnaxSlots { get; }

    /// <summary>Appends the byte form of <paramref name="message"/> (a request or post built by a proxy) to <paramref name="output"/>.</summary>
    /// <exception cref="PackException">The method id is unknown, or MemoryPack cannot write an argument.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    static abstract void PackRequest(IBufferWriter<byte> output, SnaxMessage message);

    /// <summary>Reads a request written by <see cref="PackRequest"/>; it must fill <paramref name="data"/> exactly.</summary>
    /// <exception cref="PackException">The bytes are malformed or name an unknown method (the only exception bad input raises).</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    static abstract SnaxMessage UnpackRequest(ReadOnlySpan<byte> data);

    /// <summary>Reads a request written by <see cref="PackRequest"/> from a possibly segmented buffer.</summary>
    /// <exception cref="PackException">The bytes are malformed or name an unknown method.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    static abstract SnaxMessage UnpackRequest(in ReadOnlySequence<byte> data);

    /// <summary>Appends the byte form of the result of method <paramref name="methodId"/> (nothing for methods without a result).</summary>
    /// <exception cref="PackException">The method id is unknown, or MemoryPack cannot write the result.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    static abstract void PackResult(IBufferWriter<byte> output, int methodId, object? result);

    /// <summary>Reads a result written by <see cref="PackResult"/>; it must fill <paramref name="data"/> exactly.</summary>
    /// <exception cref="PackException">The bytes are malformed or the method id is unknown.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    static abstract object? UnpackResult(int methodId, ReadOnlySpan<byte> data);

    /// <summary>Reads a result written by <see cref="PackResult"/> from a possibly segmented buffer.</summary>
    /// <exception cref="PackException">The bytes are malformed or the method id is unknown.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    static abstract object? UnpackResult(int methodId, in ReadOnlySequence<byte> data);
}
