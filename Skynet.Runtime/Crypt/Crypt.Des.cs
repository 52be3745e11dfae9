namespace Skynet;

public static partial class Crypt
{
    /// <summary>
    /// The length of <see cref="DesEncode(ReadOnlySpan{byte}, ReadOnlySpan{byte}, DesPadding)"/>'s output for
    /// <paramref name="dataLength"/> bytes of input: the next multiple of 8 strictly above it, because a padded
    /// block is always added.
    /// </summary>
    /// <param name="dataLength">The plain text length.</param>
    /// <returns>The cipher text length.</returns>
    public static int GetDesEncodedLength(int dataLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dataLength);
        return (dataLength + DesCore.BlockSize) & ~(DesCore.BlockSize - 1);
    }

    /// <summary>
    /// skynet's <c>crypt.desencode</c>: DES in ECB mode with the last block padded (always at least one byte of padding).
    /// </summary>
    /// <param name="key">The eight-byte key (skynet's login uses the Diffie-Hellman secret). Any value is accepted, weak keys included.</param>
    /// <param name="data">The plain text, any length.</param>
    /// <param name="padding">The padding scheme; skynet's default is <see cref="DesPadding.Iso7816_4"/>.</param>
    /// <returns>The cipher text, <see cref="GetDesEncodedLength(int)"/> bytes long.</returns>
    /// <exception cref="CryptException"><paramref name="key"/> is not 8 bytes long or <paramref name="padding"/> is not a defined value.</exception>
    public static byte[] DesEncode(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, DesPadding padding = DesPadding.Iso7816_4)
    {
        var result = new byte[GetDesEncodedLength(data.Length)];
        TryDesEncode(key, data, result, out _, padding);
        return result;
    }

    /// <summary>
    /// Encrypts like <see cref="DesEncode(ReadOnlySpan{byte}, ReadOnlySpan{byte}, DesPadding)"/> into
    /// <paramref name="destination"/> without allocating.
    /// </summary>
    /// <param name="key">The eight-byte key.</param>
    /// <param name="data">The plain text.</param>
    /// <param name="destination">Receives <see cref="GetDesEncodedLength(int)"/> bytes; must not overlap <paramref name="data"/> except at the same offset.</param>
    /// <param name="bytesWritten">The cipher text length, or 0 when <paramref name="destination"/> is too small.</param>
    /// <param name="padding">The padding scheme.</param>
    /// <returns><see langword="false"/> if <paramref name="destination"/> is too small; otherwise <see langword="true"/>.</returns>
    /// <exception cref="CryptException"><paramref name="key"/> is not 8 bytes long or <paramref name="padding"/> is not a defined value.</exception>
    public static bool TryDesEncode(
        ReadOnlySpan<byte> key,
        ReadOnlySpan<byte> data,
        Span<byte> destination,
        out int bytesWritten,
        DesPadding padding = DesPadding.Iso7816_4)
    {
        RequireQword(key, "The DES key");
        RequirePaddingMode(padding);
        int length = GetDesEncodedLength(data.Length);
        if (destination.Length < length)
        {
            bytesWritten = 0;
            return false;
        }

        Span<ulong> subkeys = stackalloc ulong[DesCore.SubkeyCount];
        DesCore.ExpandKey(key, subkeys, forDecryption: false);
        int whole = data.Length & ~(DesCore.BlockSize - 1);
        for (int offset = 0; offset < whole; offset += DesCore.BlockSize)
        {
            DesCore.CryptBlock(subkeys, data.Slice(offset, DesCore.BlockSize), destination.Slice(offset, DesCore.BlockSize));
        }

        Span<byte> tail = stackalloc byte[DesCore.BlockSize];
        int used = data.Length - whole;
        data[whole..].CopyTo(tail);
        if (padding == DesPadding.Iso7816_4)
        {
            tail[used] = 0x80;
            tail[(used + 1)..].Clear();
        }
        else
        {
            tail[used..].Fill((byte)(DesCore.BlockSize - used));
        }

        DesCore.CryptBlock(subkeys, tail, destination.Slice(whole, DesCore.BlockSize));
        bytesWritten = length;
        return true;
    }

    /// <summary>
    /// skynet's <c>crypt.desdecode</c>: decrypts DES-ECB cipher text and removes its padding.
    /// </summary>
    /// <param name="key">The eight-byte key used to encrypt.</param>
    /// <param name="data">The cipher text: a non-empty multiple of 8 bytes.</param>
    /// <param name="padding">The padding scheme used to encrypt.</param>
    /// <returns>The plain text.</returns>
    /// <exception cref="CryptException">
    /// <paramref name="key"/> is not 8 bytes long, <paramref name="data"/> is empty or not a multiple of 8 bytes, or the
    /// decrypted padding is malformed (usually a wrong key).
    /// </exception>
    public static byte[] DesDecode(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, DesPadding padding = DesPadding.Iso7816_4)
    {
        Span<ulong> subkeys = stackalloc ulong[DesCore.SubkeyCount];
        Span<byte> tail = stackalloc byte[DesCore.BlockSize];
        int length = DesDecodeLastBlock(key, data, padding, subkeys, tail);
        var result = new byte[length];
        DesDecodeBody(subkeys, data, tail, length, result);
        return result;
    }

    /// <summary>
    /// Decrypts like <see cref="DesDecode(ReadOnlySpan{byte}, ReadOnlySpan{byte}, DesPadding)"/> into
    /// <paramref name="destination"/> without allocating.
    /// </summary>
    /// <param name="key">The eight-byte key used to encrypt.</param>
    /// <param name="data">The cipher text.</param>
    /// <param name="destination">Receives the plain text, which is between 1 and 8 bytes shorter than <paramref name="data"/>.</param>
    /// <param name="bytesWritten">The plain text length, or 0 when <paramref name="destination"/> is too small.</param>
    /// <param name="padding">The padding scheme used to encrypt.</param>
    /// <returns><see langword="false"/> if <paramref name="destination"/> is too small; otherwise <see langword="true"/>.</returns>
    /// <exception cref="CryptException">As for <see cref="DesDecode(ReadOnlySpan{byte}, ReadOnlySpan{byte}, DesPadding)"/>.</exception>
    public static bool TryDesDecode(
        ReadOnlySpan<byte> key,
        ReadOnlySpan<byte> data,
        Span<byte> destination,
        out int bytesWritten,
        DesPadding padding = DesPadding.Iso7816_4)
    {
        Span<ulong> subkeys = stackalloc ulong[DesCore.SubkeyCount];
        Span<byte> tail = stackalloc byte[DesCore.BlockSize];
        int length = DesDecodeLastBlock(key, data, padding, subkeys, tail);
        if (destination.Length < length)
        {
            bytesWritten = 0;
            return false;
        }

        DesDecodeBody(subkeys, data, tail, length, destination);
        bytesWritten = length;
        return true;
    }

    // Decrypting the last block first tells us the plain text length before anything is written, so a too-small
    // destination is reported without a partial write.
    private static int DesDecodeLastBlock(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, DesPadding padding, Span<ulong> subkeys, Span<byte> tail)
    {
        RequireQword(key, "The DES key");
        if (data.Length == 0 || (data.Length & (DesCore.BlockSize - 1)) != 0)
        {
            throw new CryptException($"DES cipher text must be a non-empty multiple of 8 bytes, but {data.Length} bytes were given.");
        }

        RequirePaddingMode(padding);
        DesCore.ExpandKey(key, subkeys, forDecryption: true);
        DesCore.CryptBlock(subkeys, data[^DesCore.BlockSize..], tail);
        int padLength = padding == DesPadding.Iso7816_4 ? Iso7816PaddingLength(tail) : Pkcs7PaddingLength(tail);
        if (padLength == 0)
        {
            throw new CryptException(padding == DesPadding.Iso7816_4
                ? "DES cipher text has invalid ISO 7816-4 padding; the key is wrong, the data is corrupt, or it was encrypted with another padding."
                : "DES cipher text has invalid PKCS#7 padding; the key is wrong, the data is corrupt, or it was encrypted with another padding.");
        }

        return data.Length - padLength;
    }

    private static void DesDecodeBody(ReadOnlySpan<ulong> subkeys, ReadOnlySpan<byte> data, ReadOnlySpan<byte> tail, int length, Span<byte> destination)
    {
        int lastBlock = data.Length - DesCore.BlockSize;
        for (int offset = 0; offset < lastBlock; offset += DesCore.BlockSize)
        {
            DesCore.CryptBlock(subkeys, data.Slice(offset, DesCore.BlockSize), destination.Slice(offset, DesCore.BlockSize));
        }

        tail[..(length - lastBlock)].CopyTo(destination[lastBlock..]);
    }

    // Zeros back from the end, then the 0x80 marker, all inside the last block; 0 means invalid.
    private static int Iso7816PaddingLength(ReadOnlySpan<byte> block)
    {
        for (int i = block.Length - 1; i >= 0; i--)
        {
            if (block[i] == 0x80)
            {
                return block.Length - i;
            }

            if (block[i] != 0)
            {
                return 0;
            }
        }

        return 0;
    }

    // skynet checks only that the last n bytes all hold n and 1 <= n <= 8; 0 means invalid.
    private static int Pkcs7PaddingLength(ReadOnlySpan<byte> block)
    {
        int n = block[^1];
        if (n == 0 || n > block.Length)
        {
            return 0;
        }

        foreach (byte b in block[^n..])
        {
            if (b != n)
            {
                return 0;
            }
        }

        return n;
    }

    private static void RequirePaddingMode(DesPadding padding)
    {
        if (padding is not (DesPadding.Iso7816_4 or DesPadding.Pkcs7))
        {
            throw new CryptException($"Invalid DES padding mode {(int)padding}; use DesPadding.Iso7816_4 or DesPadding.Pkcs7.");
        }
    }
}
