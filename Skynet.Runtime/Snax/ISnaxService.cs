using System.ComponentModel;
using Skynet.Codecs;

namespace Skynet;

/// <summary>
/// Implemented by the generator on every <c>[Service]</c> class: what the runtime needs to know about it without
/// reflection (its slots and its request/result codecs for calls that leave the process).
/// </summary>
/// <typeparam name="TSelf">The service type.</typeparam>
public interface ISnaxService<TSelf>
    where TSelf : Service, ISnaxService<TSelf>
{
    /// <summary>The hot-fixable slots of the type.</summary>
    static abstract SnaxSlotTable SnaxSlots { get; }

    /// <summary>Writes a request (method id, then the arguments as one MemoryPack object).</summary>
    /// <exception cref="PackException">An argument's type has no codec, or the method id is unknown.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    static abstract void PackRequest(ref PackWriter writer, SnaxMessage message);

    /// <summary>Reads a request written by <see cref="PackRequest"/>.</summary>
    /// <exception cref="PackException">The bytes are malformed or name an unknown method.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    static abstract SnaxMessage UnpackRequest(ref PackReader reader);

    /// <summary>Writes the result of method <paramref name="methodId"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    static abstract void PackResult(int methodId, ref PackWriter writer, object? result);

    /// <summary>Reads a result written by <see cref="PackResult"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    static abstract object? UnpackResult(int methodId, ref PackReader reader);
}
