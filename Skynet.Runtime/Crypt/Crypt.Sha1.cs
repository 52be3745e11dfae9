using System.Security.Cryptography;

namespace Skynet;

public static partial class Crypt
{
    /// <summary>skynet's <c>crypt.sha1</c>: the standard SHA-1 digest.</summary>
    /// <param name="data">The bytes to hash.</param>
    /// <returns>The 20-byte digest.</returns>
    public static byte[] Sha1(ReadOnlySpan<byte> data) => SHA1.HashData(data);

    /// <summary>skynet's <c>crypt.hmac_sha1</c>: standard RFC 2104 HMAC-SHA1 (keys longer than 64 bytes are hashed first).</summary>
    /// <param name="key">The key, any length.</param>
    /// <param name="data">The message.</param>
    /// <returns>The 20-byte authentication code.</returns>
    public static byte[] HmacSha1(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) => HMACSHA1.HashData(key, data);
}
