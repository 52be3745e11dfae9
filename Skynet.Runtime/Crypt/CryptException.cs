namespace Skynet;

/// <summary>
/// Thrown by <see cref="Crypt"/> when its input is unusable: a key of the wrong length, a zero Diffie-Hellman key,
/// text that is not valid base64 or hex, or DES cipher text whose length or padding is wrong.
/// </summary>
/// <remarks>
/// Every rejection of caller data by <see cref="Crypt"/> uses this one type, so a login or handshake handler can treat
/// "the peer sent garbage" with a single <c>catch</c>. Destination buffers that are too small are not errors: the
/// <c>Try</c> overloads return <see langword="false"/> for them instead.
/// </remarks>
public sealed class CryptException : Exception
{
    /// <summary>Creates an exception with no message.</summary>
    public CryptException()
    {
    }

    /// <summary>Creates an exception that explains what was wrong with the input.</summary>
    /// <param name="message">What was wrong and, where it helps, what the caller should pass instead.</param>
    public CryptException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception that wraps the failure that caused it.</summary>
    /// <param name="message">What was wrong with the input.</param>
    /// <param name="innerException">The underlying failure.</param>
    public CryptException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
