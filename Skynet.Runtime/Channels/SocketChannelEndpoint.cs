namespace Skynet.Channels;

/// <summary>A host and port a <see cref="SocketChannel"/> connects to.</summary>
/// <param name="Host">A host name or address.</param>
/// <param name="Port">The TCP port.</param>
public readonly record struct SocketChannelEndpoint(string Host, int Port)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Host}:{Port}";
}
