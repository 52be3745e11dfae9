namespace Skynet.Sproto;

/// <summary>
/// The one exception sproto throws: a schema text that does not parse, a value that does not fit its field, bytes
/// that do not decode (truncated, bad lengths, nesting past 64 levels, bad 0-packing) or an RPC message for an
/// unknown protocol or session. Decoders check every length against the bytes that remain before allocating.
/// </summary>
/// <remarks>Treat undecodable input as hostile and drop the connection it came from.</remarks>
public sealed class SprotoException : Exception
{
    /// <summary>Creates the exception with a message that says what was wrong.</summary>
    /// <param name="message">What was wrong, and where.</param>
    public SprotoException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception wrapping the failure that revealed the problem.</summary>
    /// <param name="message">What was wrong, and where.</param>
    /// <param name="innerException">The lower-level failure.</param>
    public SprotoException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
