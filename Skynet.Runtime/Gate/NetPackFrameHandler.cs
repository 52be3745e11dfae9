namespace Skynet.Gate;

/// <summary>Receives one complete frame from <see cref="NetPackDecoder"/>.</summary>
/// <typeparam name="TState">Caller state passed through, so the handler can be a static lambda (no closure per feed).</typeparam>
/// <param name="state">The state given to <see cref="NetPackDecoder.Feed{TState}"/>.</param>
/// <param name="payload">
/// The frame's payload. It points into the fed chunk or into the decoder's pooled buffer, so it is valid only
/// until the handler returns: copy it to keep it.
/// </param>
public delegate void NetPackFrameHandler<in TState>(TState state, ReadOnlySpan<byte> payload);
