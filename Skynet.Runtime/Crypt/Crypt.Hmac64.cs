using System.Buffers.Binary;
using System.Numerics;

namespace Skynet;

public static partial class Crypt
{
    private const uint Md5A = 0x67452301u;
    private const uint Md5B = 0xEFCDAB89u;
    private const uint Md5C = 0x98BADCFEu;
    private const uint Md5D = 0x10325476u;

    // RFC 1321 defines the round constants as floor(|sin(i + 1)| * 2^32); double precision reproduces them exactly.
    private static readonly uint[] Md5Constants = CreateMd5Constants();

    /// <summary>
    /// skynet's <c>crypt.hmac64</c>: a 64-bit keyed digest made of one raw MD5 compression over a block built from the
    /// two arguments. It is not RFC 2104 HMAC; use it where the peer is skynet (loginserver, msgserver).
    /// </summary>
    /// <param name="message">The first argument in skynet's order, e.g. the login challenge or a handshake hash.</param>
    /// <param name="key">The second argument in skynet's order, e.g. the Diffie-Hellman secret.</param>
    /// <returns>The eight-byte digest.</returns>
    /// <exception cref="CryptException">Either argument is not 8 bytes long.</exception>
    public static byte[] Hmac64(ReadOnlySpan<byte> message, ReadOnlySpan<byte> key)
    {
        var result = new byte[QwordSize];
        TryHmac64(message, key, result);
        return result;
    }

    /// <summary>
    /// Computes <see cref="Hmac64(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/> into <paramref name="destination"/> without allocating.
    /// </summary>
    /// <param name="message">The first eight-byte argument.</param>
    /// <param name="key">The second eight-byte argument.</param>
    /// <param name="destination">Receives the eight-byte digest.</param>
    /// <returns><see langword="false"/> if <paramref name="destination"/> is shorter than 8 bytes; otherwise <see langword="true"/>.</returns>
    /// <exception cref="CryptException">Either argument is not 8 bytes long.</exception>
    public static bool TryHmac64(ReadOnlySpan<byte> message, ReadOnlySpan<byte> key, Span<byte> destination)
    {
        RequireQword(message, "The hmac64 message");
        RequireQword(key, "The hmac64 key");
        if (destination.Length < QwordSize)
        {
            return false;
        }

        Hmac64Core(ReadQword(message), ReadQword(key), destination);
        return true;
    }

    /// <summary>
    /// skynet's <c>crypt.hmac64_md5</c>: equal to the first half xor the second half of
    /// <c>MD5((message + key) repeated 3 times)</c>, computed as a single padded MD5 block.
    /// </summary>
    /// <param name="message">The first eight-byte argument.</param>
    /// <param name="key">The second eight-byte argument.</param>
    /// <returns>The eight-byte digest.</returns>
    /// <exception cref="CryptException">Either argument is not 8 bytes long.</exception>
    public static byte[] Hmac64Md5(ReadOnlySpan<byte> message, ReadOnlySpan<byte> key)
    {
        var result = new byte[QwordSize];
        TryHmac64Md5(message, key, result);
        return result;
    }

    /// <summary>
    /// Computes <see cref="Hmac64Md5(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/> into <paramref name="destination"/> without allocating.
    /// </summary>
    /// <param name="message">The first eight-byte argument.</param>
    /// <param name="key">The second eight-byte argument.</param>
    /// <param name="destination">Receives the eight-byte digest.</param>
    /// <returns><see langword="false"/> if <paramref name="destination"/> is shorter than 8 bytes; otherwise <see langword="true"/>.</returns>
    /// <exception cref="CryptException">Either argument is not 8 bytes long.</exception>
    public static bool TryHmac64Md5(ReadOnlySpan<byte> message, ReadOnlySpan<byte> key, Span<byte> destination)
    {
        RequireQword(message, "The hmac64_md5 message");
        RequireQword(key, "The hmac64_md5 key");
        if (destination.Length < QwordSize)
        {
            return false;
        }

        ulong x = ReadQword(message);
        ulong y = ReadQword(key);
        Span<uint> block = stackalloc uint[16];
        for (int i = 0; i < 12; i += 4)
        {
            block[i] = (uint)x;
            block[i + 1] = (uint)(x >> 32);
            block[i + 2] = (uint)y;
            block[i + 3] = (uint)(y >> 32);
        }

        // The standard MD5 tail for a 48-byte message: the 0x80 marker and the bit length 384.
        block[12] = 0x80;
        block[13] = 0;
        block[14] = 48 * 8;
        block[15] = 0;

        Md5Compress(block, out uint a, out uint b, out uint c, out uint d);
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (a + Md5A) ^ (c + Md5C));
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], (b + Md5B) ^ (d + Md5D));
        return true;
    }

    /// <summary>
    /// skynet's <c>crypt.hashkey</c>: a fast, non-cryptographic 64-bit hash (the DJB hash in the low four bytes, the
    /// JS hash in the high four) that msgserver feeds into <see cref="Hmac64(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>.
    /// </summary>
    /// <param name="data">Any bytes, typically the UTF-8 handshake text.</param>
    /// <returns>The eight-byte hash.</returns>
    public static byte[] HashKey(ReadOnlySpan<byte> data)
    {
        var result = new byte[QwordSize];
        TryHashKey(data, result);
        return result;
    }

    /// <summary>Computes <see cref="HashKey(ReadOnlySpan{byte})"/> into <paramref name="destination"/> without allocating.</summary>
    /// <param name="data">Any bytes.</param>
    /// <param name="destination">Receives the eight-byte hash.</param>
    /// <returns><see langword="false"/> if <paramref name="destination"/> is shorter than 8 bytes; otherwise <see langword="true"/>.</returns>
    public static bool TryHashKey(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (destination.Length < QwordSize)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt64LittleEndian(destination, HashKeyCore(data));
        return true;
    }

    /// <summary>
    /// skynet's <c>crypt.hmac_hash</c>: <see cref="Hmac64(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/> of
    /// <see cref="HashKey(ReadOnlySpan{byte})"/><c>(text)</c> under <paramref name="key"/>. Note the argument order: the key comes first here.
    /// </summary>
    /// <param name="key">The eight-byte key.</param>
    /// <param name="text">Any bytes.</param>
    /// <returns>The eight-byte digest.</returns>
    /// <exception cref="CryptException"><paramref name="key"/> is not 8 bytes long.</exception>
    public static byte[] HmacHash(ReadOnlySpan<byte> key, ReadOnlySpan<byte> text)
    {
        var result = new byte[QwordSize];
        TryHmacHash(key, text, result);
        return result;
    }

    /// <summary>Computes <see cref="HmacHash(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/> into <paramref name="destination"/> without allocating.</summary>
    /// <param name="key">The eight-byte key.</param>
    /// <param name="text">Any bytes.</param>
    /// <param name="destination">Receives the eight-byte digest.</param>
    /// <returns><see langword="false"/> if <paramref name="destination"/> is shorter than 8 bytes; otherwise <see langword="true"/>.</returns>
    /// <exception cref="CryptException"><paramref name="key"/> is not 8 bytes long.</exception>
    public static bool TryHmacHash(ReadOnlySpan<byte> key, ReadOnlySpan<byte> text, Span<byte> destination)
    {
        RequireQword(key, "The hmac_hash key");
        if (destination.Length < QwordSize)
        {
            return false;
        }

        Hmac64Core(HashKeyCore(text), ReadQword(key), destination);
        return true;
    }

    private static ulong HashKeyCore(ReadOnlySpan<byte> data)
    {
        uint djb = 5381;
        uint js = 1315423911;
        foreach (byte c in data)
        {
            djb += (djb << 5) + c;
            js ^= (js << 5) + c + (js >> 2);
        }

        return djb | ((ulong)js << 32);
    }

    private static void Hmac64Core(ulong x, ulong y, Span<byte> destination)
    {
        // skynet fills all sixteen words with the halves swapped (high word first) and never pads or feeds the
        // chaining values forward; the digest is then folded to 64 bits as (c ^ d, a ^ b).
        Span<uint> block = stackalloc uint[16];
        for (int i = 0; i < 16; i += 4)
        {
            block[i] = (uint)(x >> 32);
            block[i + 1] = (uint)x;
            block[i + 2] = (uint)(y >> 32);
            block[i + 3] = (uint)y;
        }

        Md5Compress(block, out uint a, out uint b, out uint c, out uint d);
        BinaryPrimitives.WriteUInt32LittleEndian(destination, c ^ d);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], a ^ b);
    }

    // The 64 MD5 steps from the standard initial state, without adding the state back at the end: skynet's
    // digest_md5. Callers that want real MD5 add the initial state themselves.
    private static void Md5Compress(ReadOnlySpan<uint> w, out uint a, out uint b, out uint c, out uint d)
    {
        uint[] k = Md5Constants;
        a = Md5A;
        b = Md5B;
        c = Md5C;
        d = Md5D;
        for (int i = 0; i < 64; i++)
        {
            uint f;
            int g;
            int shift;
            switch (i >> 4)
            {
                case 0:
                    f = (b & c) | (~b & d);
                    g = i;
                    shift = (i & 3) switch { 0 => 7, 1 => 12, 2 => 17, _ => 22 };
                    break;
                case 1:
                    f = (d & b) | (~d & c);
                    g = ((5 * i) + 1) & 15;
                    shift = (i & 3) switch { 0 => 5, 1 => 9, 2 => 14, _ => 20 };
                    break;
                case 2:
                    f = b ^ c ^ d;
                    g = ((3 * i) + 5) & 15;
                    shift = (i & 3) switch { 0 => 4, 1 => 11, 2 => 16, _ => 23 };
                    break;
                default:
                    f = c ^ (b | ~d);
                    g = (7 * i) & 15;
                    shift = (i & 3) switch { 0 => 6, 1 => 10, 2 => 15, _ => 21 };
                    break;
            }

            uint next = b + BitOperations.RotateLeft(a + f + k[i] + w[g], shift);
            a = d;
            d = c;
            c = b;
            b = next;
        }
    }

    private static uint[] CreateMd5Constants()
    {
        var k = new uint[64];
        for (int i = 0; i < k.Length; i++)
        {
            k[i] = (uint)(long)Math.Floor(Math.Abs(Math.Sin(i + 1)) * 4294967296.0);
        }

        return k;
    }
}
