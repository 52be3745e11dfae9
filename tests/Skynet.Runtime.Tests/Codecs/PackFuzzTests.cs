using Skynet.Codecs;
using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Codecs;

/// <summary>Hostile input for the MemoryPack-format readers: 120 000 deterministic random and mutated inputs over
/// several shapes. Every rejection must be a <see cref="PackException"/>, no decode may allocate over 1 MB.</summary>
public class PackFuzzTests
{
    const int IterationsPerShape = 12_000;

    public static TheoryData<string> Shapes() => [.. ShapeTable.Keys];

    static readonly Dictionary<string, (Action<byte[]> Decode, byte[][] Seeds)> ShapeTable = new()
    {
        ["int"] = (d => Read(d, (ref PackReader r) => r.ReadUnmanaged<int>()), [Seed((ref PackWriter w) => w.WriteUnmanaged(42))]),
        ["string"] = (d => Read(d, (ref PackReader r) => r.ReadString()),
            [Seed((ref PackWriter w) => w.WriteString("héllo wörld")), Seed((ref PackWriter w) => w.WriteString(null))]),
        ["int[]"] = (d => Read(d, (ref PackReader r) => r.ReadUnmanagedArray<int>()),
            [Seed((ref PackWriter w) => w.WriteUnmanagedArray(new[] { 1, 2, 3 }))]),
        ["List<string>"] = (d => Read(d, (ref PackReader r) => PackCollections.ReadList<string?, StringFormatter>(ref r)),
            [Seed((ref PackWriter w) => PackCollections.WriteList<string?, StringFormatter>(ref w, ["a", null, "", "ü"]))]),
        ["Dictionary<int,string>"] = (d => Read(d, (ref PackReader r) => PackCollections.ReadDictionary<int, string?, UnmanagedFormatter<int>, StringFormatter>(ref r)),
            [Seed((ref PackWriter w) => PackCollections.WriteDictionary<int, string?, UnmanagedFormatter<int>, StringFormatter>(ref w, new() { [1] = "a", [2] = null }))]),
        ["Dictionary<string,List<int>>"] = (d => Read(d, (ref PackReader r) =>
                PackCollections.ReadDictionary<string, List<int>?, StringFormatter, ListFormatter<int, UnmanagedFormatter<int>>>(ref r)),
            [Seed((ref PackWriter w) => PackCollections.WriteDictionary<string, List<int>?, StringFormatter, ListFormatter<int, UnmanagedFormatter<int>>>(
                ref w, new() { ["x"] = [1, 2], ["y"] = null }))]),
        ["int?"] = (d => Read(d, (ref PackReader r) => r.ReadNullable<int>()), [Seed((ref PackWriter w) => w.WriteNullable<int>(5))]),
        ["VarInt"] = (d => Read(d, (ref PackReader r) => r.ReadVarIntInt32()), [Seed((ref PackWriter w) => w.WriteVarInt(40000))]),
        ["Team"] = (d => Packer.Unpack<Team>(d),
            [Packer.Pack(new Team { Name = "t", Leader = new Person { Name = "l" }, Members = [new Person(), null], Rank = 1 })]),
        ["PersonV2"] = (d => Packer.Unpack<PersonV2>(d),
            [Packer.Pack(new PersonV2 { Name = "a", Partner = new PersonV2 { Tags = new() { [1] = "t" } } })]),
        ["PersonV1"] = (d => Packer.Unpack<PersonV1>(d),
            [Packer.Pack(new PersonV2 { Name = "a", Age = 3, Tags = new() { [1] = "t" } })]),
        ["Node"] = (d => Packer.Unpack<Node>(d), [Packer.Pack(Node.Chain(6))]),
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryFailureIsPackException(string shape)
    {
        (Action<byte[]> decode, byte[][] seeds) = ShapeTable[shape];
        var fuzzer = new Fuzzer(seed: shape.Length * 7919 + shape[0]);
        List<string> failures = fuzzer.Run(IterationsPerShape, seeds, decode);
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(10)));
        Assert.True(fuzzer.Rejected > 0, "the fuzzer never produced malformed input");
    }

    static void Read<T>(byte[] data, ReadStep<T> step)
    {
        var reader = new PackReader(data);
        step(ref reader);
    }

    static byte[] Seed(WriteStep step) => PackTest.Write(step);
}
