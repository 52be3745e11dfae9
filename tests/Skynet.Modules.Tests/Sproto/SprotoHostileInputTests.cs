using Skynet.Sproto;

namespace Skynet.Modules.Tests.Sproto;

/// <summary>Bad bytes fail with a <see cref="SprotoException"/>, never another exception, a hang or an allocation
/// out of proportion to the input.</summary>
public sealed class SprotoHostileInputTests
{
    static readonly SprotoSchema AddressBook = SprotoSchema.Parse(SprotoVectors.Schema("addressbook.sproto"));
    static readonly SprotoSchema C2S = SprotoSchema.Parse(SprotoVectors.Schema("c2s.sproto"));

    /// <summary>Decoding never allocates more than this per input byte (plus a constant): a hostile length or count
    /// cannot make the decoder reserve memory the input does not pay for.</summary>
    const long BytesPerInputByte = 512;

    [Theory]
    [InlineData("Person")]
    [InlineData("AddressBook")]
    [InlineData("Data")]
    [InlineData("Dict")]
    [InlineData("Tree")]
    public void Fuzzed_struct_bytes_fail_cleanly(string type)
    {
        var seeds = SprotoVectors.Lines("value").Where(c => c[1] == "addressbook.sproto" && c[2] == type).Select(c => SprotoVectors.Hex(c[4])).ToArray();
        Assert.NotEmpty(seeds);
        var (accepted, rejected) = Fuzz(seed: type.GetHashCode(StringComparison.Ordinal) & 0xffff, seeds, input => AddressBook.Decode(type, input));
        Assert.True(rejected > 100, $"only {rejected} of {accepted + rejected} inputs rejected: the fuzzer is not reaching the checks");
    }

    [Fact]
    public void Fuzzed_packed_messages_fail_cleanly_in_the_rpc_host()
    {
        var seeds = SprotoVectors.Lines("rpc").Where(c => c[1].StartsWith("request", StringComparison.Ordinal)).Select(c => SprotoVectors.Hex(c[2])).ToArray();
        var host = C2S.Host();
        var (_, rejected) = Fuzz(seed: 17, seeds, input => host.Dispatch(input));
        Assert.True(rejected > 100);
    }

    [Fact]
    public void Fuzzed_bundles_fail_cleanly_in_load()
    {
        var seeds = SprotoVectors.Lines("schema").Select(c => SprotoVectors.Hex(c[2])).ToArray();
        var (_, rejected) = Fuzz(seed: 99, seeds, input => SprotoSchema.Load(input));
        Assert.True(rejected > 100);
    }

    [Fact]
    public void Fuzzed_packed_bytes_fail_cleanly_in_unpack()
    {
        var seeds = SprotoVectors.Lines("pack").Select(c => SprotoVectors.Hex(c[2])).Where(b => b.Length > 0).ToArray();
        Fuzz(seed: 3, seeds, input => SprotoPacking.Unpack(input));
    }

    [Theory]
    [InlineData("ff", "a raw-run tag (0xff) without its count")]
    [InlineData("ff01aabbcc", "a raw run of 16 bytes but only 3 remain")]
    [InlineData("0f0102", "a word needs 4 bytes but only 2 remain")]
    public void Truncated_packing_is_named(string hex, string message)
    {
        var e = Assert.Throws<SprotoException>(() => SprotoPacking.Unpack(Convert.FromHexString(hex)));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Unpack_refuses_output_past_its_limit_before_allocating_it()
    {
        var bomb = new byte[1 << 16]; // 64 KiB of zero tags unpack to 512 KiB
        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<SprotoException>(() => SprotoPacking.Unpack(bomb, maxSize: 1 << 18));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024);
        Assert.Contains("more than the limit", e.Message);
    }

    [Theory]
    [InlineData("0100", "1 field records but only 0 bytes")]                         // header promises a field record
    [InlineData("01000000ffffff7f", "data length 2147483647 but only 0 bytes remain")]  // hostile length
    [InlineData("01000000", "truncated data length")]
    [InlineData("0100000003000000ff6263", "not valid UTF-8")]                          // name = "\xffbc"
    public void Malformed_structs_are_named(string hex, string message)
    {
        var e = Assert.Throws<SprotoException>(() => AddressBook.Decode("Person", Convert.FromHexString(hex)));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void A_nested_struct_must_fill_its_length()
    {
        // Tree { parent = <3 bytes: an empty struct and one stray byte> }
        var e = Assert.Throws<SprotoException>(() => AddressBook.Decode("Tree", Convert.FromHexString("0200030000000300000000000000")));
        Assert.Contains("1 trailing byte(s) after the struct", e.Message);
    }

    [Theory]
    [InlineData("02000300000003000000010203", "a number of 3 bytes")]                  // number (tag 2) of 3 bytes
    [InlineData("0100000003000000040102", "integer array of width 4 and 2 bytes")]    // numbers (tag 0)
    [InlineData("0100000003000000030102", "integer array of width 3")]
    public void Malformed_numbers_are_named(string hex, string message)
    {
        var e = Assert.Throws<SprotoException>(() => AddressBook.Decode("Data", Convert.FromHexString(hex)));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Inline_value_for_a_string_field_is_rejected() =>
        Assert.Contains("cannot be inline", Assert.Throws<SprotoException>(() => AddressBook.Decode("Person", Convert.FromHexString("01000400"))).Message);

    [Fact]
    public void Nesting_past_64_levels_is_rejected_both_ways()
    {
        var tree = new SprotoObject { ["name"] = "leaf" };
        for (var i = 0; i < 70; i++) tree = new SprotoObject { ["parent"] = tree };
        Assert.Contains("too deep", Assert.Throws<SprotoException>(() => AddressBook.Encode("Tree", tree)).Message);

        // 70 levels of { parent = ... } on the wire: a skip record over tags 0 and 1, then tag 2 in the data part.
        byte[] bytes = [0, 0];
        for (var i = 0; i < 70; i++)
        {
            var next = new byte[2 + 4 + 4 + bytes.Length];
            next[0] = 2; // two records: skip 2 tags (value 3), then tag 2 in the data part
            next[2] = 3;
            BitConverter.TryWriteBytes(next.AsSpan(6), bytes.Length);
            bytes.CopyTo(next, 10);
            bytes = next;
        }
        Assert.Contains("too deep", Assert.Throws<SprotoException>(() => AddressBook.Decode("Tree", bytes)).Message);
    }

    [Fact]
    public void Rpc_host_names_unknown_protocols_and_sessions()
    {
        var host = C2S.Host();
        var unknownTag = SprotoPacking.Pack(C2S.Encode("package", new SprotoObject { ["type"] = 99L }));
        Assert.Contains("protocol tag 99 not found", Assert.Throws<SprotoException>(() => host.Dispatch(unknownTag)).Message);
        var noSession = SprotoPacking.Pack(C2S.Encode("package", new SprotoObject()));
        Assert.Contains("session not found", Assert.Throws<SprotoException>(() => host.Dispatch(noSession)).Message);
        var unknownSession = SprotoPacking.Pack(C2S.Encode("package", new SprotoObject { ["session"] = 5L }));
        Assert.Contains("Unknown session 5", Assert.Throws<SprotoException>(() => host.Dispatch(unknownSession)).Message);
    }

    static (int Accepted, int Rejected) Fuzz(int seed, byte[][] seeds, Action<byte[]> decode)
    {
        var random = new Random(seed);
        int accepted = 0, rejected = 0;
        var failures = new List<string>();
        foreach (var s in seeds) decode(s);
        for (var i = 0; i < 3000; i++)
        {
            var input = i % 5 == 0 ? RandomBytes(random) : Mutate(random, seeds[random.Next(seeds.Length)]);
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                decode(input);
                accepted++;
            }
            catch (SprotoException)
            {
                rejected++;
            }
            catch (Exception e)
            {
                failures.Add($"{e.GetType().Name} for {Convert.ToHexStringLower(input)}: {e.Message}");
            }
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated > 4096 + BytesPerInputByte * input.Length) failures.Add($"{allocated} bytes allocated for {input.Length}-byte input {Convert.ToHexStringLower(input)}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(10)));
        return (accepted, rejected);
    }

    static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 64)];
        random.NextBytes(bytes);
        return bytes;
    }

    static byte[] Mutate(Random random, byte[] seed)
    {
        var bytes = seed.ToList();
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits; e++)
        {
            switch (random.Next(6))
            {
                case 0 when bytes.Count > 0:
                    bytes[random.Next(bytes.Count)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[random.Next(bytes.Count)] = (byte)(random.Next(2) == 0 ? 0xff : 0x00);
                    break;
                case 2 when bytes.Count > 4:
                    {
                        var at = random.Next(bytes.Count - 3);
                        var hostile = new[] { 0x7fffffff, -1, 0x10000, 1 << 24, 0x7fff }[random.Next(5)];
                        for (var k = 0; k < 4; k++) bytes[at + k] = (byte)(hostile >> (8 * k));
                        break;
                    }
                case 3 when bytes.Count > 0:
                    {
                        var at = random.Next(bytes.Count);
                        bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(4)));
                        break;
                    }
                case 4:
                    bytes.Insert(random.Next(bytes.Count + 1), (byte)random.Next(256));
                    break;
                default:
                    if (bytes.Count > 0) { var cut = random.Next(bytes.Count); bytes.RemoveRange(cut, bytes.Count - cut); } // truncate
                    break;
            }
        }
        return [.. bytes];
    }
}
