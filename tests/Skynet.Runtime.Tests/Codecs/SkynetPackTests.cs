using Skynet.Codecs;
using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Codecs;

public class SkynetPackTests
{
    [Theory]
    [InlineData(0L, "02")]
    [InlineData(-2147483648L, "2200000080")]
    [InlineData(long.MinValue, "320000000000000080")]
    [InlineData(long.MaxValue, "32ffffffffffffff7f")]
    [InlineData(4294967295L, "32ffffffff00000000")]
    public void IntegerWidthsMatchLuaSeri(long value, string hex)
    {
        Assert.Equal(hex, Hex.Of(SkynetPack.Pack(value)));
        LuaAssert.Equal(value, SkynetPack.Unpack(Hex.Bytes(hex))[0], "value");
    }

    [Fact]
    public void SmallerIntegerTypesPackAsLuaIntegers()
    {
        Assert.Equal("0a07", Hex.Of(SkynetPack.Pack(7)));
        Assert.Equal("0a07", Hex.Of(SkynetPack.Pack((byte)7)));
        Assert.Equal("22ffffffff", Hex.Of(SkynetPack.Pack((short)-1)));
        Assert.Equal("42000000000000f83f", Hex.Of(SkynetPack.Pack(1.5f)));
    }

    [Fact]
    public void SingleNilPacksAsOneNil()
    {
        Assert.Equal("00", Hex.Of(SkynetPack.Pack([null])));
        Assert.Equal("00", Hex.Of(SkynetPack.Pack((object?)null)));
        Assert.Equal("", Hex.Of(SkynetPack.Pack()));
    }

    [Fact]
    public void EmptyInputHasNoValues() => Assert.Empty(SkynetPack.Unpack([]));

    [Fact]
    public void LongStringsUseU32LengthFrom65536()
    {
        string s = new('z', 65536);
        byte[] packed = SkynetPack.Pack(s);
        Assert.Equal("2500000100", Hex.Of(packed.AsSpan(0, 5)));
        Assert.Equal(s, SkynetPack.Unpack(packed)[0]);
        Assert.Equal("15ffff", Hex.Of(SkynetPack.Pack(new string('z', 65535)).AsSpan(0, 3)));
    }

    [Fact]
    public void ArraysOf31OrMoreCarryTheirSizeAsAnInteger()
    {
        var table = new LuaTable();
        for (int i = 0; i < 31; i++)
        {
            table.Array.Add(true);
        }
        byte[] packed = SkynetPack.Pack(table);
        Assert.Equal("fe0a1f09", Hex.Of(packed.AsSpan(0, 4)));
        Assert.Equal(0, packed[^1]);
        LuaAssert.Equal(new object?[] { table }, SkynetPack.Unpack(packed));

        table.Array.RemoveAt(0);
        Assert.Equal("f609", Hex.Of(SkynetPack.Pack(table).AsSpan(0, 2)));
    }

    [Fact]
    public void StringsAreUtf8AndBinaryStringsStayBytes()
    {
        byte[] packed = SkynetPack.Pack("é", new byte[] { 0xff, 0x00 });
        Assert.Equal("14c3a9" + "14ff00", Hex.Of(packed));
        object?[] auto = SkynetPack.Unpack(packed);
        Assert.Equal("é", auto[0]);
        Assert.Equal(new byte[] { 0xff, 0x00 }, auto[1]);
        object?[] raw = SkynetPack.Unpack(packed, LuaStringMode.Bytes);
        Assert.Equal(new byte[] { 0xc3, 0xa9 }, raw[0]);
    }

    [Fact]
    public void BinaryKeysCompareByContent()
    {
        object?[] values = SkynetPack.Unpack(Hex.Bytes("06" + "0cff" + "0a01" + "00"));
        var table = Assert.IsType<LuaTable>(values[0]);
        Assert.Equal(1L, table.Hash[new byte[] { 0xff }]);
    }

    [Fact]
    public void RoundTripsNestedTablesAndMixedValues()
    {
        var inner = new LuaTable { Array = { 1L, null, 3.25 }, Hash = { ["deep"] = new LuaTable { Hash = { [true] = "yes" } } } };
        var outer = new LuaTable { Array = { inner, "s" }, Hash = { [10L] = false, [2.5] = -7L, ["k"] = inner } };
        object?[] values = [null, true, outer, new LuaLightUserData(0x1122334455667788), -0.0, double.PositiveInfinity];
        LuaAssert.Equal(values, SkynetPack.Unpack(SkynetPack.Pack(values)));
    }

    [Fact]
    public void HashSkipsNilValuesAndKeysCoveredByTheArray()
    {
        var table = new LuaTable { Array = { 1L, 2L }, Hash = { [1L] = "shadowed", ["gone"] = null, [3L] = "kept" } };
        Assert.Equal("16" + "0a01" + "0a02" + "0a03" + "246b657074" + "00", Hex.Of(SkynetPack.Pack(table)));
    }

    [Fact]
    public void DecodingAppliesRawSetSemantics()
    {
        // {1,2} then hash pairs [2]=9 (array slot), [3.0]=7 (integral float key becomes integer), ["x"]=nil (no entry).
        byte[] data = Hex.Bytes("16 0a01 0a02 0a02 0a09 42 0000000000000840 0a07 0c78 00 00");
        var table = Assert.IsType<LuaTable>(SkynetPack.Unpack(data)[0]);
        Assert.Equal(new object?[] { 1L, 9L }, table.Array);
        Assert.Equal(7L, table.Hash[3L]);
        Assert.Single(table.Hash);
    }

    [Fact]
    public void DepthLimitMatchesSkynet()
    {
        // skynet packs a value only while it sits inside at most 32 tables.
        Assert.Equal(SkynetPack.MaxDepth, Depth(SkynetPack.Unpack(SkynetPack.Pack(Nest(SkynetPack.MaxDepth, leaf: true)))[0]));
        Assert.Throws<PackException>(() => SkynetPack.Pack(Nest(SkynetPack.MaxDepth + 1, leaf: true)));
        // An empty innermost table holds no value, so skynet accepts one more level of nesting.
        SkynetPack.Pack(Nest(SkynetPack.MaxDepth + 1, leaf: false));

        var cycle = new LuaTable();
        cycle.Array.Add(cycle);
        Assert.Throws<PackException>(() => SkynetPack.Pack(cycle));

        byte[] deep = [.. Enumerable.Repeat((byte)0x0e, 34), .. Enumerable.Repeat((byte)0x00, 34)];
        Assert.Throws<PackException>(() => SkynetPack.Unpack(deep));
    }

    [Fact]
    public void UnsupportedTypesAreArgumentErrors()
    {
        Assert.Throws<ArgumentException>(() => SkynetPack.Pack(new object()));
        Assert.Throws<PackException>(() => SkynetPack.Pack("bad \udc00"));
        Assert.Throws<ArgumentOutOfRangeException>(() => SkynetPack.Pack(ulong.MaxValue));
        Assert.Equal("32ffffffffffffff7f", Hex.Of(SkynetPack.Pack((ulong)long.MaxValue)));
    }

    [Theory]
    [InlineData("0a", "truncated byte")]
    [InlineData("12ff", "truncated word")]
    [InlineData("42000000", "truncated real")]
    [InlineData("07", "type 7")]
    [InlineData("1a00", "number subtype 3")]
    [InlineData("4a", "number subtype 9")]
    [InlineData("1c6162", "short string past the end")]
    [InlineData("0d0000", "long string width 1")]
    [InlineData("25ffffffff", "4 GB string")]
    [InlineData("15ff7f41", "32 KB string in 4 bytes")]
    [InlineData("0e0a01", "table without end")]
    [InlineData("fe42000000000000f03f00", "real table size")]
    [InlineData("fe22ffffffff00", "negative table size")]
    [InlineData("fe22ffffff7f00", "2 G table size")]
    [InlineData("0642000000000000f8ff0a0100", "NaN key")]
    [InlineData("03aabb", "truncated pointer")]
    public void MalformedInputThrowsPackException(string hex, string because)
    {
        var e = Assert.Throws<PackException>(() => SkynetPack.Unpack(Hex.Bytes(hex)));
        Assert.False(string.IsNullOrEmpty(e.Message), because);
    }

    static LuaTable Nest(int levels, bool leaf)
    {
        var inner = new LuaTable();
        if (leaf)
        {
            inner.Array.Add(1L);
        }
        for (int i = 1; i < levels; i++)
        {
            var outer = new LuaTable();
            outer.Array.Add(inner);
            inner = outer;
        }
        return inner;
    }

    static int Depth(object? value) => value is LuaTable t && t.Array.Count > 0 ? 1 + Depth(t.Array[0]) : 0;
}
