
namespace Skynet.Runtime.Tests.Crypto;

/// <summary>Every input skynet rejects is rejected here too, with a <see cref="CryptException"/> that says why.</summary>
public class CryptErrorTests
{
    private static readonly byte[] Key = Convert.FromHexString("3132333435363738");
    private static readonly byte[] Zero = new byte[8];

    private static void AssertRejected(Action action, params string[] messageParts)
    {
        var ex = Assert.Throws<CryptException>(action);
        foreach (string part in messageParts)
        {
            Assert.Contains(part, ex.Message, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void DhExchangeRejectsZeroKey() =>
        AssertRejected(() => Crypt.DhExchange(Zero), "private key", "zero");

    [Fact]
    public void DhSecretRejectsZeroPrivateKey() =>
        AssertRejected(() => Crypt.DhSecret(Key, Zero), "private key", "zero");

    [Fact]
    public void DhSecretRejectsZeroPeerKey() =>
        AssertRejected(() => Crypt.DhSecret(Zero, Key), "peer public key", "zero");

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(9)]
    public void EightByteArgumentsRejectOtherLengths(int length)
    {
        byte[] wrong = new byte[length];
        string size = $"{length} bytes";
        AssertRejected(() => Crypt.DhExchange(wrong), "private key", "8 bytes", size);
        AssertRejected(() => Crypt.DhSecret(wrong, Key), "peer public key", "8 bytes", size);
        AssertRejected(() => Crypt.DhSecret(Key, wrong), "private key", "8 bytes", size);
        AssertRejected(() => Crypt.Hmac64(wrong, Key), "hmac64 message", size);
        AssertRejected(() => Crypt.Hmac64(Key, wrong), "hmac64 key", size);
        AssertRejected(() => Crypt.Hmac64Md5(wrong, Key), "hmac64_md5 message", size);
        AssertRejected(() => Crypt.HmacHash(wrong, Key), "hmac_hash key", size);
        AssertRejected(() => Crypt.DesEncode(wrong, Key), "DES key", size);
        AssertRejected(() => Crypt.DesDecode(wrong, Key), "DES key", size);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(9)]
    [InlineData(15)]
    public void DesDecodeRejectsBadLength(int length) =>
        AssertRejected(() => Crypt.DesDecode(Key, new byte[length]), "multiple of 8", $"{length} bytes");

    [Fact]
    public void DesDecodeRejectsBadIsoPadding()
    {
        // PKCS#7 padding of a full block (eight 0x08 bytes) has no 0x80 marker.
        byte[] pkcs7 = Crypt.DesEncode(Key, "12345678"u8, DesPadding.Pkcs7);
        AssertRejected(() => Crypt.DesDecode(Key, pkcs7), "ISO 7816-4 padding");
    }

    [Fact]
    public void DesDecodeRejectsBadPkcs7Padding()
    {
        // ISO padding ends in 0x00 (invalid count) or 0x80 (count above 8).
        AssertRejected(() => Crypt.DesDecode(Key, Crypt.DesEncode(Key, "1"u8), DesPadding.Pkcs7), "PKCS#7 padding");
        AssertRejected(() => Crypt.DesDecode(Key, Crypt.DesEncode(Key, "1234567"u8), DesPadding.Pkcs7), "PKCS#7 padding");
    }

    [Fact]
    public void DesDecodeWithWrongKeyFailsOnPadding()
    {
        byte[] encrypted = Crypt.DesEncode(Key, "secret token"u8);

        // A wrong key almost always garbles the padding; this particular key does (the test is deterministic).
        AssertRejected(() => Crypt.DesDecode("87654321"u8, encrypted), "padding", "key is wrong");
    }

    [Fact]
    public void DesRejectsUndefinedPaddingMode()
    {
        AssertRejected(() => Crypt.DesEncode(Key, "x"u8, (DesPadding)2), "padding mode 2");
        AssertRejected(() => Crypt.DesDecode(Key, new byte[8], (DesPadding)(-1)), "padding mode -1");
    }

    [Theory]
    [InlineData("a")]
    [InlineData("abc")]
    public void HexDecodeRejectsOddLength(string text) =>
        AssertRejected(() => Crypt.HexDecode(text), "odd", $"{text.Length}");

    [Theory]
    [InlineData("0g", 'g', 1)]
    [InlineData("zz", 'z', 0)]
    [InlineData("0 ", ' ', 1)]
    public void HexDecodeRejectsBadDigits(string text, char bad, int offset) =>
        AssertRejected(() => Crypt.HexDecode(text), $"'{bad}'", $"offset {offset}", "not a hex digit");

    [Fact]
    public void XorRejectsEmptyKey() =>
        AssertRejected(() => Crypt.XorStr("abc"u8, []), "empty key");

    [Theory]
    [InlineData("Zm9v\n", "nothing but padding")]
    [InlineData("=Zm9", "'=' before its end")]
    [InlineData("Z=g=", "'=' before its end")]
    [InlineData("Zh==", "non-zero bits")]
    [InlineData("Zm9=", "non-zero bits")]
    [InlineData("Z===", "3 padding")]
    [InlineData("Z", "3 padding")]
    [InlineData("====", "4 padding")]
    public void Base64DecodeRejectsWhatSkynetRejects(string text, string reason)
    {
        var ex = Assert.Throws<CryptException>(() => Crypt.Base64Decode(text));
        Assert.StartsWith("Invalid base64 text", ex.Message, StringComparison.Ordinal);
        if (reason != "4 padding")
        {
            Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void NullStringsAreProgrammingErrors()
    {
        Assert.Throws<ArgumentNullException>(() => Crypt.Base64Decode((string)null!));
        Assert.Throws<ArgumentNullException>(() => Crypt.HexDecode((string)null!));
    }
}
