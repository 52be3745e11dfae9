using System.Buffers.Binary;
using System.Numerics;

namespace Skynet;

/// <summary>
/// Standard single DES (FIPS 46-3) on one 8-byte block. Written here rather than taken from
/// <see cref="System.Security.Cryptography.DES"/> because the BCL refuses DES's weak keys and depends on the
/// platform's OpenSSL offering legacy ciphers, while skynet accepts any 8-byte key (a Diffie-Hellman secret can be anything).
/// </summary>
/// <remarks>
/// The permutations and S-boxes are written as in the standard (1-based bit numbers, most significant bit first)
/// and expanded once into lookup tables, so each block costs 16 rounds of eight table reads.
/// </remarks>
internal static class DesCore
{
    public const int BlockSize = 8;
    public const int SubkeyCount = 16;

    private static readonly byte[] InitialPermutation =
    [
        58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4,
        62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32, 24, 16, 8,
        57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3,
        61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47, 39, 31, 23, 15, 7,
    ];

    private static readonly byte[] RoundPermutation =
    [
        16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10,
        2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25,
    ];

    private static readonly byte[] PermutedChoice1 =
    [
        57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18,
        10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36,
        63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22,
        14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
    ];

    private static readonly byte[] PermutedChoice2 =
    [
        14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10,
        23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2,
        41, 52, 31, 37, 47, 55, 30, 40, 51, 45, 33, 48,
        44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
    ];

    private static readonly byte[] KeyRotations = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];

    // S1..S8, each 4 rows of 16 as printed in the standard.
    private static readonly byte[] SBoxes =
    [
        14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7,
        0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8,
        4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0,
        15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6, 13,

        15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10,
        3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11, 5,
        0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15,
        13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5, 14, 9,

        10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8,
        13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15, 1,
        13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7,
        1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2, 12,

        7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15,
        13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14, 9,
        10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4,
        3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2, 14,

        2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9,
        14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8, 6,
        4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14,
        11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4, 5, 3,

        12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11,
        10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3, 8,
        9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6,
        4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8, 13,

        4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1,
        13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8, 6,
        1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2,
        6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3, 12,

        13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7,
        1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9, 2,
        7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8,
        2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6, 11,
    ];

    // Byte-at-a-time tables for the initial and final permutations: entry [position * 256 + value] is the permuted
    // image of that one byte, so a 64-bit permutation is eight lookups or'ed together.
    private static readonly ulong[] InitialTable = CreateByteTable(InitialPermutation);
    private static readonly ulong[] FinalTable = CreateByteTable(Invert(InitialPermutation));

    // S-box i combined with the P permutation: entry [i * 64 + sixBits] is that S-box's contribution to f's output.
    private static readonly uint[] SpTable = CreateSpTable();

    /// <summary>Derives the sixteen 48-bit round keys from an 8-byte key; parity bits are ignored, as in the standard.</summary>
    public static void ExpandKey(ReadOnlySpan<byte> key, Span<ulong> subkeys, bool forDecryption)
    {
        ulong cd = Permute(BinaryPrimitives.ReadUInt64BigEndian(key), 64, PermutedChoice1);
        uint c = (uint)(cd >> 28) & 0x0FFF_FFFF;
        uint d = (uint)cd & 0x0FFF_FFFF;
        for (int round = 0; round < SubkeyCount; round++)
        {
            c = Rotate28(c, KeyRotations[round]);
            d = Rotate28(d, KeyRotations[round]);
            ulong subkey = Permute(((ulong)c << 28) | d, 56, PermutedChoice2);
            subkeys[forDecryption ? SubkeyCount - 1 - round : round] = subkey;
        }
    }

    /// <summary>Runs one block through the cipher; decryption is encryption with the round keys reversed.</summary>
    public static void CryptBlock(ReadOnlySpan<ulong> subkeys, ReadOnlySpan<byte> input, Span<byte> output)
    {
        ulong block = PermuteBytes(BinaryPrimitives.ReadUInt64BigEndian(input), InitialTable);
        uint left = (uint)(block >> 32);
        uint right = (uint)block;
        for (int round = 0; round < SubkeyCount; round++)
        {
            uint next = left ^ Feistel(right, subkeys[round]);
            left = right;
            right = next;
        }

        // The halves are not swapped after the last round, hence right before left.
        ulong preOutput = ((ulong)right << 32) | left;
        BinaryPrimitives.WriteUInt64BigEndian(output, PermuteBytes(preOutput, FinalTable));
    }

    private static uint Feistel(uint right, ulong subkey)
    {
        uint[] sp = SpTable;
        uint result = 0;
        for (int box = 0; box < 8; box++)
        {
            // Expansion E takes bits 4*box .. 4*box+5 (1-based, wrapping 0 to 32); a rotation lines them up at the bottom.
            uint expanded = BitOperations.RotateRight(right, (27 - (4 * box)) & 31) & 0x3F;
            uint keyBits = (uint)(subkey >> (42 - (6 * box))) & 0x3F;
            result |= sp[(box * 64) + (int)(expanded ^ keyBits)];
        }

        return result;
    }

    private static uint Rotate28(uint value, int count) => ((value << count) | (value >> (28 - count))) & 0x0FFF_FFFF;

    private static ulong PermuteBytes(ulong value, ulong[] table)
    {
        ulong result = 0;
        for (int position = 0; position < 8; position++)
        {
            int b = (int)(value >> (56 - (8 * position))) & 0xFF;
            result |= table[(position * 256) + b];
        }

        return result;
    }

    // Output bit j (1-based, most significant first) is input bit table[j - 1] of an inputBits-wide value.
    private static ulong Permute(ulong value, int inputBits, byte[] table)
    {
        ulong result = 0;
        foreach (byte source in table)
        {
            result = (result << 1) | ((value >> (inputBits - source)) & 1);
        }

        return result;
    }

    private static byte[] Invert(byte[] permutation)
    {
        var inverse = new byte[permutation.Length];
        for (int i = 0; i < permutation.Length; i++)
        {
            inverse[permutation[i] - 1] = (byte)(i + 1);
        }

        return inverse;
    }

    private static ulong[] CreateByteTable(byte[] permutation)
    {
        var table = new ulong[8 * 256];
        for (int position = 0; position < 8; position++)
        {
            for (int value = 0; value < 256; value++)
            {
                table[(position * 256) + value] = Permute((ulong)value << (56 - (8 * position)), 64, permutation);
            }
        }

        return table;
    }

    private static uint[] CreateSpTable()
    {
        var table = new uint[8 * 64];
        for (int box = 0; box < 8; box++)
        {
            for (int bits = 0; bits < 64; bits++)
            {
                // The outer bits (first and last) choose the row, the middle four the column.
                int row = ((bits >> 4) & 2) | (bits & 1);
                int column = (bits >> 1) & 0xF;
                uint substituted = (uint)SBoxes[(box * 64) + (row * 16) + column] << (28 - (4 * box));
                table[(box * 64) + bits] = (uint)Permute(substituted, 32, RoundPermutation);
            }
        }

        return table;
    }
}
