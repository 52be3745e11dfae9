using System.Security.Cryptography;

namespace Skynet;

public static partial class Crypt
{
    /// <summary>
    /// skynet's <c>crypt.randomkey</c>: eight random bytes, never all zero, suitable as a Diffie-Hellman private key
    /// or a login challenge. The bytes come from <see cref="RandomNumberGenerator"/> (skynet uses <c>random()</c>).
    /// </summary>
    /// <returns>The eight-byte key.</returns>
    public static byte[] RandomKey()
    {
        var result = new byte[QwordSize];
        TryRandomKey(result);
        return result;
    }

    /// <summary>Fills <paramref name="destination"/> with a key as <see cref="RandomKey()"/> does, without allocating.</summary>
    /// <param name="destination">Receives the eight-byte key.</param>
    /// <returns><see langword="false"/> if <paramref name="destination"/> is shorter than 8 bytes; otherwise <see langword="true"/>.</returns>
    public static bool TryRandomKey(Span<byte> destination)
    {
        if (destination.Length < QwordSize)
        {
            return false;
        }

        Span<byte> key = destination[..QwordSize];
        RandomNumberGenerator.Fill(key);

        // skynet's rule, kept so the distribution matches: when the bytes xor to zero, set the low bit of the first
        // byte. That is what rules out the all-zero key, which dhexchange would reject.
        byte parity = 0;
        foreach (byte b in key)
        {
            parity ^= b;
        }

        if (parity == 0)
        {
            key[0] |= 1;
        }

        return true;
    }
}
