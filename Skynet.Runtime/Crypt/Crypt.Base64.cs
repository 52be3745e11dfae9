using System.Numerics;

namespace Skynet;

public static partial class Crypt
{
    private const int Base64Padding = -2;
    private const int Base64Skip = -1;

    /// <summary>
    /// skynet's <c>crypt.base64encode</c>: standard base64 (RFC 4648 alphabet, <c>=</c> padding, no line breaks).
    /// </summary>
    /// <param name="data">The bytes to encode.</param>
    /// <returns>The base64 text.</returns>
    public static string Base64Encode(ReadOnlySpan<byte> data) => Convert.ToBase64String(data);

    /// <summary>Encodes like <see cref="Base64Encode(ReadOnlySpan{byte})"/> into a UTF-8 buffer without allocating, e.g. straight into a socket buffer.</summary>
    /// <param name="data">The bytes to encode.</param>
    /// <param name="utf8Destination">Receives <c>(data.Length + 2) / 3 * 4</c> ASCII bytes.</param>
    /// <param name="bytesWritten">The number of bytes written, or 0 when <paramref name="utf8Destination"/> is too small.</param>
    /// <returns><see langword="false"/> if <paramref name="utf8Destination"/> is too small; otherwise <see langword="true"/>.</returns>
    public static bool TryBase64Encode(ReadOnlySpan<byte> data, Span<byte> utf8Destination, out int bytesWritten)
    {
        var status = System.Buffers.Text.Base64.EncodeToUtf8(data, utf8Destination, out _, out bytesWritten);
        if (status != System.Buffers.OperationStatus.Done)
        {
            bytesWritten = 0;
            return false;
        }

        return true;
    }

    /// <summary>Encodes like <see cref="Base64Encode(ReadOnlySpan{byte})"/> into a character buffer without allocating.</summary>
    /// <param name="data">The bytes to encode.</param>
    /// <param name="destination">Receives <c>(data.Length + 2) / 3 * 4</c> characters.</param>
    /// <param name="charsWritten">The number of characters written, or 0 when <paramref name="destination"/> is too small.</param>
    /// <returns><see langword="false"/> if <paramref name="destination"/> is too small; otherwise <see langword="true"/>.</returns>
    public static bool TryBase64Encode(ReadOnlySpan<byte> data, Span<char> destination, out int charsWritten) =>
        Convert.TryToBase64Chars(data, destination, out charsWritten);

    /// <summary>The most bytes <see cref="Base64Decode(ReadOnlySpan{char})"/> can produce from <paramref name="textLength"/> characters.</summary>
    /// <param name="textLength">The length of the base64 text.</param>
    /// <returns><c>(textLength + 3) / 4 * 3</c>.</returns>
    public static int GetBase64MaxDecodedLength(int textLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(textLength);
        return (int)(((long)textLength + 3) / 4 * 3);
    }

    /// <summary>
    /// skynet's <c>crypt.base64decode</c>, with skynet's leniency: characters outside the base64 alphabet (white space,
    /// line breaks, <c>-</c>, <c>_</c>, anything non-ASCII) are skipped, missing trailing <c>=</c> are assumed, and
    /// decoding carries on after a padded group.
    /// </summary>
    /// <remarks>
    /// It still rejects what skynet rejects: a group whose <c>=</c> is not at its end, three or four <c>=</c> in one
    /// group, non-zero bits left over before the padding, and input whose last group holds only skipped characters
    /// (so <c>"Zm9v\n"</c> fails while <c>"Zm9v"</c> and <c>"Zm\n9v"</c> succeed).
    /// </remarks>
    /// <param name="text">The base64 text.</param>
    /// <returns>The decoded bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="CryptException"><paramref name="text"/> is not base64 by the rules above.</exception>
    public static byte[] Base64Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Base64Decode(text.AsSpan());
    }

    /// <summary>Decodes base64 text with skynet's rules; see <see cref="Base64Decode(string)"/>.</summary>
    /// <param name="text">The base64 text.</param>
    /// <returns>The decoded bytes.</returns>
    /// <exception cref="CryptException"><paramref name="text"/> is not base64 by skynet's rules.</exception>
    public static byte[] Base64Decode(ReadOnlySpan<char> text) => Base64DecodeToArray(text);

    /// <summary>Decodes base64 held as UTF-8 (or ASCII) bytes, e.g. a line read from a socket, with skynet's rules; see <see cref="Base64Decode(string)"/>.</summary>
    /// <param name="utf8Text">The base64 text as bytes.</param>
    /// <returns>The decoded bytes.</returns>
    /// <exception cref="CryptException"><paramref name="utf8Text"/> is not base64 by skynet's rules.</exception>
    public static byte[] Base64Decode(ReadOnlySpan<byte> utf8Text) => Base64DecodeToArray(utf8Text);

    /// <summary>Decodes base64 text with skynet's rules into <paramref name="destination"/> without allocating.</summary>
    /// <param name="text">The base64 text.</param>
    /// <param name="destination">Receives the bytes; <see cref="GetBase64MaxDecodedLength(int)"/> is always enough.</param>
    /// <param name="bytesWritten">The number of bytes decoded, or 0 when <paramref name="destination"/> is too small.</param>
    /// <returns>
    /// <see langword="false"/> if <paramref name="destination"/> filled up before the text ended (its contents are then
    /// unspecified); otherwise <see langword="true"/>.
    /// </returns>
    /// <exception cref="CryptException"><paramref name="text"/> is not base64 by skynet's rules.</exception>
    public static bool TryBase64Decode(ReadOnlySpan<char> text, Span<byte> destination, out int bytesWritten) =>
        Base64DecodeCore(text, destination, out bytesWritten);

    /// <summary>Decodes base64 held as UTF-8 bytes with skynet's rules into <paramref name="destination"/> without allocating.</summary>
    /// <param name="utf8Text">The base64 text as bytes.</param>
    /// <param name="destination">Receives the bytes; <see cref="GetBase64MaxDecodedLength(int)"/> is always enough.</param>
    /// <param name="bytesWritten">The number of bytes decoded, or 0 when <paramref name="destination"/> is too small.</param>
    /// <returns>
    /// <see langword="false"/> if <paramref name="destination"/> filled up before the text ended (its contents are then
    /// unspecified); otherwise <see langword="true"/>.
    /// </returns>
    /// <exception cref="CryptException"><paramref name="utf8Text"/> is not base64 by skynet's rules.</exception>
    public static bool TryBase64Decode(ReadOnlySpan<byte> utf8Text, Span<byte> destination, out int bytesWritten) =>
        Base64DecodeCore(utf8Text, destination, out bytesWritten);

    private static byte[] Base64DecodeToArray<T>(ReadOnlySpan<T> text)
        where T : unmanaged, IBinaryInteger<T>
    {
        int max = GetBase64MaxDecodedLength(text.Length);
        byte[]? rented = null;
        Span<byte> buffer = max <= 256 ? stackalloc byte[256] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(max));
        try
        {
            Base64DecodeCore(text, buffer, out int written);
            return buffer[..written].ToArray();
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    // Mirrors lb64decode group by group: gather four significant characters (skipping the rest, and treating the end
    // of input as '='), then decode the group according to how many of them were padding.
    private static bool Base64DecodeCore<T>(ReadOnlySpan<T> text, Span<byte> destination, out int bytesWritten)
        where T : unmanaged, IBinaryInteger<T>
    {
        Span<int> group = stackalloc int[4];
        int output = 0;
        int i = 0;
        while (i < text.Length)
        {
            int padding = 0;
            int groupStart = i;
            for (int j = 0; j < 4;)
            {
                int value = i < text.Length ? Base64Index(uint.CreateTruncating(text[i])) : Base64Padding;
                i++;
                if (value == Base64Skip)
                {
                    continue;
                }

                if (value == Base64Padding)
                {
                    padding++;
                }

                group[j++] = value;
            }

            int produced = padding switch
            {
                0 => 3,
                1 when group[3] == Base64Padding && (group[2] & 3) == 0 => 2,
                2 when group[3] == Base64Padding && group[2] == Base64Padding && (group[1] & 0xF) == 0 => 1,
                _ => throw InvalidBase64(groupStart, padding),
            };

            if (destination.Length - output < produced)
            {
                bytesWritten = 0;
                return false;
            }

            uint bits = (uint)((group[0] << 18) | (group[1] << 12) | (Math.Max(group[2], 0) << 6) | Math.Max(group[3], 0));
            destination[output] = (byte)(bits >> 16);
            if (produced > 1)
            {
                destination[output + 1] = (byte)(bits >> 8);
            }

            if (produced > 2)
            {
                destination[output + 2] = (byte)bits;
            }

            output += produced;
        }

        bytesWritten = output;
        return true;
    }

    private static CryptException InvalidBase64(int groupStart, int padding) => new(padding switch
    {
        4 => $"Invalid base64 text: nothing but padding or characters outside the base64 alphabet from offset {groupStart} to the end.",
        >= 3 => $"Invalid base64 text: the group at offset {groupStart} has {padding} padding characters; at most two are allowed.",
        _ => $"Invalid base64 text: the group at offset {groupStart} has '=' before its end or non-zero bits before the padding.",
    });

    private static int Base64Index(uint c) => c switch
    {
        >= 'A' and <= 'Z' => (int)(c - 'A'),
        >= 'a' and <= 'z' => (int)(c - 'a') + 26,
        >= '0' and <= '9' => (int)(c - '0') + 52,
        '+' => 62,
        '/' => 63,
        '=' => Base64Padding,
        _ => Base64Skip,
    };
}
