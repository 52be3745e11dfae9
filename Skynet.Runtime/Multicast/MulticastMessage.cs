namespace Skynet;

/// <summary>
/// One publish as every subscriber receives it: the channel and the publisher's payload. The multicast service
/// builds one of these per publish and hands the same reference to every subscriber (no copy per subscriber), so
/// publish immutable payloads: strings, records of immutables, <see cref="ReadOnlyMemory{T}"/> of bytes nobody writes.
/// </summary>
/// <param name="Channel">The channel id (its low 8 bits are the owner node's harbor, as in skynet).</param>
/// <param name="Payload">What the publisher passed to <see cref="MulticastChannel.Publish"/>.</param>
public sealed record MulticastMessage(uint Channel, object? Payload);
