namespace Skynet.Channels;

/// <summary>
/// skynet's <c>socket_error</c>: a <see cref="SocketChannel"/> request could not complete because the channel is not
/// connected (every host refused, authentication failed, the channel was closed) or the connection dropped while the
/// request waited; or the server answered a session-mode request with an error.
/// </summary>
public sealed class SocketChannelException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    public SocketChannelException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception around its cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The cause.</param>
    public SocketChannelException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
