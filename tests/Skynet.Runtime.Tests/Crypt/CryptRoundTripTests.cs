using System.Security.Cryptography;
using System.Text;

namespace Skynet.Runtime.Tests.Crypto;

public class CryptRoundTripTests
{
    private const int Lengths = 70;

    [Theory]
    [InlineData(DesPadding.Iso7816_4)]
    [InlineData(DesPadding.Pkcs7)]
    public void DesRoundTripsEveryLengthWithRandomKeys(DesPadding padding)
    {
        for (int length = 0; length < Lengths; length++)
        {
            byte[] key = Crypt.RandomKey();
            byte[] data = RandomNumberGenerator.GetBytes(length);
            byte[] encrypted = Crypt.DesEncode(key, data, padding);

            Assert.Equal((length / 8 * 8) + 8, encrypted.Length);
            Assert.Equal(encrypted.Length, Crypt.GetDesEncodedLength(length));
            Assert.Equal(data, Crypt.DesDecode(key, encrypted, padding));
        }
    }

    [Fact]
    public void DesSpanOverloadsMatchArrayOverloads()
    {
        byte[] key = Crypt.RandomKey();
        byte[] data = RandomNumberGenerator.GetBytes(29);
        byte[] encrypted = Crypt.DesEncode(key, data);

        Span<byte> cipher = stackalloc byte[32];
        Assert.False(Crypt.TryDesEncode(key, data, cipher[..31], out int written));
        Assert.Equal(0, written);
        Assert.True(Crypt.TryDesEncode(key, data, cipher, out written));
        Assert.Equal(encrypted, cipher[..written].ToArray());

        Span<byte> plain = stackalloc byte[32];
        Assert.False(Crypt.TryDesDecode(key, encrypted, plain[..28], out written));
        Assert.True(Crypt.TryDesDecode(key, encrypted, plain[..29], out written));
        Assert.Equal(data, plain[..written].ToArray());
    }

    [Fact]
    public void DesAcceptsWeakKeysLikeSkynet()
    {
        // The BCL rejects DES weak keys; a Diffie-Hellman secret can be one, so skynet (and we) must not.
        byte[] weak = Convert.FromHexString("0101010101010101");
        byte[] data = "weak key"u8.ToArray();
        Assert.Equal(data, Crypt.DesDecode(weak, Crypt.DesEncode(weak, data)));
    }

    [Fact]
    public void DesIgnoresParityBitsLikeStandardDes()
    {
        byte[] key = Convert.FromHexString("3132333435363738");
        byte[] flipped = Convert.FromHexString("3033323534373639");
        Assert.Equal(Crypt.DesEncode(key, "parity"u8), Crypt.DesEncode(flipped, "parity"u8));
    }

    [Fact]
    public void DesMatchesTheFips81ExampleBlock()
    {
        // FIPS 81 appendix B: key 0123456789abcdef, "Now is t" -> 3fa40e8a984d4815; ISO padding adds one more block.
        byte[] encrypted = Crypt.DesEncode(Convert.FromHexString("0123456789abcdef"), "Now is t"u8);
        Assert.Equal("3fa40e8a984d4815", Convert.ToHexStringLower(encrypted.AsSpan(0, 8)));
    }

    [Fact]
    public void DhSharedSecretAgreesForRandomKeys()
    {
        for (int i = 0; i < 50; i++)
        {
            byte[] a = Crypt.RandomKey();
            byte[] b = Crypt.RandomKey();
            Assert.Equal(Crypt.DhSecret(Crypt.DhExchange(a), b), Crypt.DhSecret(Crypt.DhExchange(b), a));
        }
    }

    [Fact]
    public void DhKeepsSkynetsUnreducedBaseQuirk()
    {
        // skynet returns a base equal to the modulus unchanged when the exponent is 1.
        byte[] modulus = BitConverter.GetBytes(0xFFFF_FFFF_FFFF_FFC5UL);
        byte[] one = BitConverter.GetBytes(1UL);
        Assert.Equal(modulus, Crypt.DhSecret(modulus, one));
        Assert.Equal(new byte[8], Crypt.DhSecret(modulus, BitConverter.GetBytes(2UL)));
    }

    [Fact]
    public void Hmac64Md5IsFoldedMd5OfTheArgumentsRepeated()
    {
        // The identity skynet documents next to lhmac64_md5.
        for (int i = 0; i < 20; i++)
        {
            byte[] a = Crypt.RandomKey();
            byte[] b = Crypt.RandomKey();
            byte[] md5 = MD5.HashData([.. a, .. b, .. a, .. b, .. a, .. b]);
            Assert.Equal(Crypt.XorStr(md5.AsSpan(0, 8), md5.AsSpan(8, 8)), Crypt.Hmac64Md5(a, b));
        }
    }

    [Fact]
    public void RandomKeysAreEightNonZeroBytesAndDiffer()
    {
        var seen = new HashSet<string>();
        for (int i = 0; i < 200; i++)
        {
            byte[] key = Crypt.RandomKey();
            Assert.Equal(8, key.Length);
            Assert.NotEqual(0UL, BitConverter.ToUInt64(key));
            seen.Add(Convert.ToHexString(key));
        }

        Assert.True(seen.Count > 195, "RandomKey repeated itself far too often.");
        Assert.False(Crypt.TryRandomKey(stackalloc byte[7]));
    }

    [Fact]
    public void Base64RoundTripsEveryLength()
    {
        Span<byte> decodeBuffer = stackalloc byte[Crypt.GetBase64MaxDecodedLength(4 * Lengths)];
        Span<char> encodeBuffer = stackalloc char[4 * Lengths];
        for (int length = 0; length < Lengths; length++)
        {
            byte[] data = RandomNumberGenerator.GetBytes(length);
            string text = Crypt.Base64Encode(data);
            Assert.Equal(Convert.ToBase64String(data), text);
            Assert.Equal(data, Crypt.Base64Decode(text));
            Assert.Equal(data, Crypt.Base64Decode(Encoding.ASCII.GetBytes(text)));
            Assert.Equal(data, Crypt.Base64Decode(text.TrimEnd('=')));

            Span<byte> buffer = decodeBuffer[..Crypt.GetBase64MaxDecodedLength(text.Length)];
            Assert.True(Crypt.TryBase64Decode(text, buffer, out int written));
            Assert.Equal(data, buffer[..written].ToArray());

            Span<char> chars = encodeBuffer[..text.Length];
            Assert.True(Crypt.TryBase64Encode(data, chars, out int charsWritten));
            Assert.Equal(text, chars[..charsWritten].ToString());
        }
    }

    [Theory]
    [InlineData("Zm9v", "666f6f")]
    [InlineData("Zm 9v", "666f6f")]
    [InlineData("Zm\r\n9v", "666f6f")]
    [InlineData("Zg", "66")]
    [InlineData("Zm8", "666f")]
    [InlineData("Zg==Zm8=", "66666f")]
    [InlineData("Z-g_==", "66")]
    [InlineData("Zm9vYmFy", "666f6f626172")]
    [InlineData("", "")]
    public void Base64DecodeIsLenientLikeSkynet(string text, string expectedHex)
    {
        Assert.Equal(expectedHex, Convert.ToHexStringLower(Crypt.Base64Decode(text)));
    }

    [Fact]
    public void Base64DecodeTooSmallBufferReturnsFalse()
    {
        Assert.False(Crypt.TryBase64Decode("Zm9vYmFy", stackalloc byte[5], out int written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void HexRoundTripsEveryLength()
    {
        for (int length = 0; length < Lengths; length++)
        {
            byte[] data = RandomNumberGenerator.GetBytes(length);
            string hex = Crypt.HexEncode(data);
            Assert.Equal(Convert.ToHexStringLower(data), hex);
            Assert.Equal(data, Crypt.HexDecode(hex));
            Assert.Equal(data, Crypt.HexDecode(hex.ToUpperInvariant()));
        }
    }

    [Fact]
    public void XorWithItselfIsZeroAndXorIsAnInvolution()
    {
        byte[] data = RandomNumberGenerator.GetBytes(37);
        byte[] key = RandomNumberGenerator.GetBytes(5);
        Assert.Equal(new byte[37], Crypt.XorStr(data, data));
        Assert.Equal(data, Crypt.XorStr(Crypt.XorStr(data, key), key));
        Assert.Empty(Crypt.XorStr([], key));

        byte[] inPlace = (byte[])data.Clone();
        Assert.True(Crypt.TryXorStr(inPlace, key, inPlace));
        Assert.Equal(Crypt.XorStr(data, key), inPlace);
        Assert.False(Crypt.TryXorStr(data, key, new byte[36]));
    }

    [Fact]
    public void TryOverloadsRefuseShortDestinations()
    {
        byte[] key = Crypt.RandomKey();
        Span<byte> small = stackalloc byte[7];
        Assert.False(Crypt.TryDhExchange(key, small));
        Assert.False(Crypt.TryDhSecret(Crypt.DhExchange(key), key, small));
        Assert.False(Crypt.TryHmac64(key, key, small));
        Assert.False(Crypt.TryHmac64Md5(key, key, small));
        Assert.False(Crypt.TryHashKey(key, small));
        Assert.False(Crypt.TryHmacHash(key, key, small));
        Assert.False(Crypt.TryBase64Encode(key, stackalloc byte[11], out _));
    }
}
