using Skynet.Codecs;
using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Codecs;

/// <summary>Hostile input for <see cref="SkynetPack.Unpack"/>: 100 000 deterministic random and mutated inputs
/// seeded from <c>seri.tsv</c> and a few deeper values. Every rejection must be a <see cref="PackException"/>, no
/// decode may allocate over 1 MB, and whatever decodes must re-pack and decode to the same values.</summary>
public class SkynetPackFuzzTests
{
    [Theory]
    [InlineData(LuaStringMode.Auto)]
    [InlineData(LuaStringMode.Bytes)]
    public void EveryFailureIsPackException(LuaStringMode mode)
    {
        var seeds = new List<byte[]>();
        foreach (var (_, row) in Vectors.ReadTsv("seri.tsv"))
        {
            seeds.Add(Hex.Bytes(row[1]));
        }
        var big = new LuaTable { Hash = { ["name"] = new string('n', 40), [2.5] = new LuaTable { Array = { 1L, 300L, -5L } } } };
        for (int i = 0; i < 33; i++)
        {
            big.Array.Add((long)i * 1000);
        }
        seeds.Add(SkynetPack.Pack(big, "tail", true, null, 1L << 40));

        var fuzzer = new Fuzzer(seed: 20260 + (int)mode);
        List<string> failures = fuzzer.Run(50_000, [.. seeds], data =>
        {
            object?[] values = SkynetPack.Unpack(data, mode);
            LuaAssert.Equal(values, SkynetPack.Unpack(SkynetPack.Pack(values), mode));
        });
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(10)));
        Assert.True(fuzzer.Accepted > 0 && fuzzer.Rejected > 0, $"accepted {fuzzer.Accepted}, rejected {fuzzer.Rejected}");
    }
}
