using System.Diagnostics.CodeAnalysis;

namespace Skynet.Codecs;

/// <summary>
/// The one exception the codecs in <see cref="Skynet.Codecs"/> throw for bytes they cannot decode (truncated data,
/// negative or oversized lengths, bad UTF-8, unknown headers, nesting past the depth limit) and for values the wire
/// format cannot represent. Decoders check every length against the bytes that remain <em>before</em> allocating,
/// so a hostile length fails here instead of exhausting memory.
/// </summary>
/// <remarks>
/// Treat the input as untrusted and drop it (or the connection it came from): a <see cref="PackException"/> never
/// leaves a reader in a state worth continuing from.
/// </remarks>
public sealed class PackException : Exception
{
    /// <summary>Creates the exception with a message that says what was wrong with the input.</summary>
    /// <param name="message">What was malformed, and where.</param>
    public PackException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception wrapping the lower-level failure that revealed the malformed input.</summary>
    /// <param name="message">What was malformed, and where.</param>
    /// <param name="innerException">The failure that revealed it (for example a decoder fallback).</param>
    public PackException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    // Throw helpers live here so that hot paths stay small enough to inline.

    [DoesNotReturn]
    internal static void ThrowTruncated(int needed, int remaining) =>
        throw new PackException($"Truncated input: needed {needed} more byte(s) but only {remaining} remain.");

    [DoesNotReturn]
    internal static void ThrowLength(string what, long length, int remaining) =>
        throw new PackException($"Invalid {what} length {length}: only {remaining} byte(s) remain.");

    [DoesNotReturn]
    internal static void Throw(string message) => throw new PackException(message);
}
