namespace Skynet;

public static partial class Crypt
{
    /// <summary>skynet's <c>crypt.hexencode</c>: two lowercase hex digits per byte.</summary>
    /// <param name="data">The bytes to encode.</param>
    /// <returns>The hex text.</returns>
    public static string HexEncode(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(data);

    /// <summary>
    /// skynet's <c>crypt.hexdecode</c>. Unlike skynet, uppercase digits are accepted and <c>g</c> is rejected (skynet's
    /// digit check lets <c>g</c> through as the value 16).
    /// </summary>
    /// <param name="text">An even number of hex digits.</param>
    /// <returns>The decoded bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="CryptException"><paramref name="text"/> has an odd length or a character that is not a hex digit.</exception>
    public static byte[] HexDecode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return HexDecode(text.AsSpan());
    }

    /// <summary>Decodes hex text; see <see cref="HexDecode(string)"/>.</summary>
    /// <param name="text">An even number of hex digits.</param>
    /// <returns>The decoded bytes.</returns>
    /// <exception cref="CryptException"><paramref name="text"/> has an odd length or a character that is not a hex digit.</exception>
    public static byte[] HexDecode(ReadOnlySpan<char> text)
    {
        if ((text.Length & 1) != 0)
        {
            throw new CryptException($"Invalid hex text: its length {text.Length} is odd; every byte needs two digits.");
        }

        var result = new byte[text.Length / 2];
        for (int i = 0; i < result.Length; i++)
        {
            int high = HexDigit(text, 2 * i);
            int low = HexDigit(text, (2 * i) + 1);
            result[i] = (byte)((high << 4) | low);
        }

        return result;
    }

    private static int HexDigit(ReadOnlySpan<char> text, int index)
    {
        char c = text[index];
        return c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'a' and <= 'f' => c - 'a' + 10,
            >= 'A' and <= 'F' => c - 'A' + 10,
            _ => throw new CryptException($"Invalid hex text: '{c}' at offset {index} is not a hex digit (0-9, a-f)."),
        };
    }
}
