using System.Buffers.Binary;

namespace Skynet;

public static partial class Crypt
{
    // The largest prime below 2^64 (2^64 - 59); skynet's P.
    private const ulong DhModulus = 0xFFFF_FFFF_FFFF_FFC5UL;
    private const ulong DhGenerator = 5;

    /// <summary>
    /// Computes the public key to send to the peer: <c>5^privateKey mod (2^64 - 59)</c> (skynet's <c>crypt.dhexchange</c>).
    /// </summary>
    /// <param name="privateKey">Eight bytes, read as a little-endian integer; usually from <see cref="RandomKey()"/>.</param>
    /// <returns>The public key as eight little-endian bytes.</returns>
    /// <exception cref="CryptException"><paramref name="privateKey"/> is not 8 bytes long or is all zeros.</exception>
    public static byte[] DhExchange(ReadOnlySpan<byte> privateKey)
    {
        var result = new byte[QwordSize];
        TryDhExchange(privateKey, result);
        return result;
    }

    /// <summary>
    /// Computes the public key like <see cref="DhExchange(ReadOnlySpan{byte})"/>, writing it into
    /// <paramref name="destination"/> without allocating.
    /// </summary>
    /// <param name="privateKey">Eight bytes, read as a little-endian integer.</param>
    /// <param name="destination">Receives the eight-byte public key.</param>
    /// <returns><see langword="false"/> if <paramref name="destination"/> is shorter than 8 bytes; otherwise <see langword="true"/>.</returns>
    /// <exception cref="CryptException"><paramref name="privateKey"/> is not 8 bytes long or is all zeros.</exception>
    public static bool TryDhExchange(ReadOnlySpan<byte> privateKey, Span<byte> destination)
    {
        RequireQword(privateKey, "The Diffie-Hellman private key");
        ulong exponent = ReadQword(privateKey);
        if (exponent == 0)
        {
            throw new CryptException("The Diffie-Hellman private key must not be zero; generate one with Crypt.RandomKey().");
        }

        if (destination.Length < QwordSize)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt64LittleEndian(destination, PowModP(DhGenerator, exponent));
        return true;
    }

    /// <summary>
    /// Computes the shared secret <c>peerPublic^privateKey mod (2^64 - 59)</c> (skynet's <c>crypt.dhsecret</c>);
    /// both sides of an exchange arrive at the same eight bytes.
    /// </summary>
    /// <param name="peerPublic">The peer's <see cref="DhExchange(ReadOnlySpan{byte})"/> result.</param>
    /// <param name="privateKey">This side's private key.</param>
    /// <returns>The secret as eight little-endian bytes.</returns>
    /// <exception cref="CryptException">Either argument is not 8 bytes long or is all zeros.</exception>
    public static byte[] DhSecret(ReadOnlySpan<byte> peerPublic, ReadOnlySpan<byte> privateKey)
    {
        var result = new byte[QwordSize];
        TryDhSecret(peerPublic, privateKey, result);
        return result;
    }

    /// <summary>
    /// Computes the shared secret like <see cref="DhSecret(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>, writing it into
    /// <paramref name="destination"/> without allocating.
    /// </summary>
    /// <param name="peerPublic">The peer's public key.</param>
    /// <param name="privateKey">This side's private key.</param>
    /// <param name="destination">Receives the eight-byte secret.</param>
    /// <returns><see langword="false"/> if <paramref name="destination"/> is shorter than 8 bytes; otherwise <see langword="true"/>.</returns>
    /// <exception cref="CryptException">Either key is not 8 bytes long or is all zeros.</exception>
    public static bool TryDhSecret(ReadOnlySpan<byte> peerPublic, ReadOnlySpan<byte> privateKey, Span<byte> destination)
    {
        RequireQword(peerPublic, "The Diffie-Hellman peer public key");
        RequireQword(privateKey, "The Diffie-Hellman private key");
        ulong peer = ReadQword(peerPublic);
        ulong exponent = ReadQword(privateKey);
        if (peer == 0 || exponent == 0)
        {
            throw new CryptException(peer == 0
                ? "The Diffie-Hellman peer public key must not be zero; the peer sent an invalid key."
                : "The Diffie-Hellman private key must not be zero; generate one with Crypt.RandomKey().");
        }

        if (destination.Length < QwordSize)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt64LittleEndian(destination, PowModP(peer, exponent));
        return true;
    }

    /// <summary>
    /// Checks a peer's public key before <see cref="DhSecret(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/> uses it: eight
    /// bytes whose value modulo P is not 0, 1 or P−1. Those three lie in subgroups of order 1 or 2, so the secret they
    /// give is 0, 1 or P−1 whatever the private key is, and anyone can compute it. A key made by
    /// <see cref="DhExchange(ReadOnlySpan{byte})"/> is never one of them (skynet's clients only send such keys).
    /// </summary>
    /// <param name="peerPublic">The key the peer sent.</param>
    /// <returns>True when the key may be used.</returns>
    public static bool IsValidDhPublicKey(ReadOnlySpan<byte> peerPublic)
    {
        if (peerPublic.Length != QwordSize) return false;
        var value = ReadQword(peerPublic) % DhModulus;
        return value is not (0 or 1 or DhModulus - 1);
    }

    private static ulong PowModP(ulong value, ulong exponent)
    {
        // skynet reduces only a base strictly above P and returns the base untouched for an exponent of 1, so a
        // base equal to P with exponent 1 comes back as P rather than 0; keep that quirk for byte-exactness.
        if (value > DhModulus)
        {
            value %= DhModulus;
        }

        if (exponent == 1)
        {
            return value;
        }

        ulong result = 1;
        for (int bit = 63 - System.Numerics.BitOperations.LeadingZeroCount(exponent); bit >= 0; bit--)
        {
            result = MulModP(result, result);
            if (((exponent >> bit) & 1) != 0)
            {
                result = MulModP(result, value);
            }
        }

        return result;
    }

    private static ulong MulModP(ulong a, ulong b) => (ulong)((UInt128)a * b % DhModulus);
}
