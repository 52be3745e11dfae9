using Skynet.Codecs;
using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Codecs;

/// <summary>Every row of <c>vectors/seri.tsv</c>: bytes must match exactly, except where a table has several hash
/// entries (Lua's hash order is not fixed); decoded values must always match.</summary>
public class SkynetPackVectorTests
{
    public static TheoryData<string, string> Rows()
    {
        var rows = new TheoryData<string, string>();
        foreach (var (_, row) in Vectors.ReadTsv("seri.tsv"))
        {
            rows.Add(row[0], row[1]);
        }
        return rows;
    }

    [Fact]
    public void VectorFileHasRows() => Assert.True(Rows().Count >= 20);

    [Theory]
    [MemberData(nameof(Rows))]
    public void DecodesVector(string lua, string hex)
    {
        object?[] expected = LuaLiteral.ParseValues(lua);
        LuaAssert.Equal(expected, SkynetPack.Unpack(Hex.Bytes(hex)));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void EncodesVector(string lua, string hex)
    {
        object?[] values = LuaLiteral.ParseValues(lua);
        byte[] packed = SkynetPack.Pack(values);
        if (LuaLiteral.HasUnorderedHash(values))
        {
            Assert.Equal(Hex.Bytes(hex).Length, packed.Length);
            LuaAssert.Equal(values, SkynetPack.Unpack(packed));
        }
        else
        {
            Assert.Equal(hex, Hex.Of(packed));
        }
    }
}
