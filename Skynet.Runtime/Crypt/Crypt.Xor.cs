namespace Skynet;

public static partial class Crypt
{
    /// <summary>skynet's <c>crypt.xor_str</c>: xors <paramref name="data"/> with <paramref name="key"/> repeated over its whole length.</summary>
    /// <param name="data">The bytes to transform; the result has the same length.</param>
    /// <param name="key">A non-empty key.</param>
    /// <returns>The transformed bytes.</returns>
    /// <exception cref="CryptException"><paramref name="key"/> is empty.</exception>
    public static byte[] XorStr(ReadOnlySpan<byte> data, ReadOnlySpan<byte> key)
    {
        var result = new byte[data.Length];
        TryXorStr(data, key, result);
        return result;
    }

    /// <summary>Computes <see cref="XorStr(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/> into <paramref name="destination"/>; it may be <paramref name="data"/> itself.</summary>
    /// <param name="data">The bytes to transform.</param>
    /// <param name="key">A non-empty key.</param>
    /// <param name="destination">Receives <c>data.Length</c> bytes.</param>
    /// <returns><see langword="false"/> if <paramref name="destination"/> is shorter than <paramref name="data"/>; otherwise <see langword="true"/>.</returns>
    /// <exception cref="CryptException"><paramref name="key"/> is empty.</exception>
    public static bool TryXorStr(ReadOnlySpan<byte> data, ReadOnlySpan<byte> key, Span<byte> destination)
    {
        if (key.IsEmpty)
        {
            throw new CryptException("Can't xor with an empty key; pass at least one key byte.");
        }

        if (destination.Length < data.Length)
        {
            return false;
        }

        for (int i = 0, k = 0; i < data.Length; i++)
        {
            destination[i] = (byte)(data[i] ^ key[k]);
            if (++k == key.Length)
            {
                k = 0;
            }
        }

        return true;
    }
}
