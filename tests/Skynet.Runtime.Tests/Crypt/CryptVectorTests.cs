using System.Text;
using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Crypto;

/// <summary>Every row of <c>shared/vectors/crypt.tsv</c>, computed with skynet's own crypt library.</summary>
public class CryptVectorTests
{
    public static TheoryData<int, string, string, string> Rows()
    {
        var data = new TheoryData<int, string, string, string>();
        foreach (var (line, fields) in Vectors.ReadTsv("crypt.tsv"))
        {
            Assert.True(fields.Length == 3, $"crypt.tsv line {line} has {fields.Length} fields, expected 3.");
            data.Add(line, fields[0], fields[1], fields[2]);
        }

        return data;
    }

    [Fact]
    public void VectorFileHasEveryOperation()
    {
        var ops = new HashSet<string>();
        foreach (var (_, fields) in Vectors.ReadTsv("crypt.tsv"))
        {
            ops.Add(fields[0]);
        }

        string[] expected =
        [
            "dhexchange", "dhsecret", "hmac64", "hmac64_md5", "hashkey", "hmac_hash", "desencode", "desencode_pkcs7",
            "base64encode", "sha1", "hmac_sha1", "xor_str",
        ];
        Assert.Equal(expected.Order(), ops.Order());
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void MatchesSkynet(int line, string op, string inputs, string expectedHex)
    {
        byte[][] args = Array.ConvertAll(inputs.Split(','), Convert.FromHexString);
        byte[] expected = Convert.FromHexString(expectedHex);

        byte[] actual = op switch
        {
            "dhexchange" => Crypt.DhExchange(args[0]),
            "dhsecret" => Crypt.DhSecret(args[0], args[1]),
            "hmac64" => Crypt.Hmac64(args[0], args[1]),
            "hmac64_md5" => Crypt.Hmac64Md5(args[0], args[1]),
            "hashkey" => Crypt.HashKey(args[0]),
            "hmac_hash" => Crypt.HmacHash(args[0], args[1]),
            "desencode" => Crypt.DesEncode(args[0], args[1]),
            "desencode_pkcs7" => Crypt.DesEncode(args[0], args[1], DesPadding.Pkcs7),
            "base64encode" => Encoding.ASCII.GetBytes(Crypt.Base64Encode(args[0])),
            "sha1" => Crypt.Sha1(args[0]),
            "hmac_sha1" => Crypt.HmacSha1(args[0], args[1]),
            "xor_str" => Crypt.XorStr(args[0], args[1]),
            _ => throw new InvalidOperationException($"crypt.tsv line {line}: unknown op '{op}'."),
        };

        Assert.Equal(expectedHex, Convert.ToHexStringLower(actual));

        // The inverse operations must take skynet's output back to the input.
        switch (op)
        {
            case "desencode":
                Assert.Equal(args[1], Crypt.DesDecode(args[0], expected));
                break;
            case "desencode_pkcs7":
                Assert.Equal(args[1], Crypt.DesDecode(args[0], expected, DesPadding.Pkcs7));
                break;
            case "base64encode":
                Assert.Equal(args[0], Crypt.Base64Decode(expected.AsSpan()));
                break;
            case "xor_str":
                Assert.Equal(args[0], Crypt.XorStr(expected, args[1]));
                break;
        }
    }
}
