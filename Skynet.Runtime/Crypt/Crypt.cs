using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Skynet;

/// <summary>
/// Byte-exact port of skynet's <c>crypt</c> library (<c>lualib-src/lua-crypt.c</c>): the Diffie-Hellman exchange,
/// hmac64, DES and base64 used by skynet's loginserver and msgserver, plus the hex, sha1 and xor helpers.
/// </summary>
/// <remarks>
/// Method names follow skynet's (<c>crypt.dhexchange</c> is <see cref="DhExchange(ReadOnlySpan{byte})"/>, and so on)
/// and arguments keep skynet's order, so Lua login code ports line by line. Invalid input throws
/// <see cref="CryptException"/>; the <c>Try</c> overloads write into a caller buffer and return
/// <see langword="false"/> only when that buffer is too small. All members are thread-safe.
/// </remarks>
public static partial class Crypt
{
    private const int QwordSize = 8;

    private static void RequireQword(ReadOnlySpan<byte> value, string what)
    {
        if (value.Length != QwordSize)
        {
            throw new CryptException($"{what} must be exactly 8 bytes, but {value.Length} bytes were given.");
        }
    }

    // skynet reads every 8-byte key as two little-endian 32-bit halves, i.e. one little-endian uint64.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReadQword(ReadOnlySpan<byte> value) => BinaryPrimitives.ReadUInt64LittleEndian(value);
}
