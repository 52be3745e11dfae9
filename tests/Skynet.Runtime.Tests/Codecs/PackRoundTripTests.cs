using System.Buffers;
using Skynet.Codecs;
using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Codecs;

public class PackRoundTripTests
{
    static Team SampleTeam() => new()
    {
        Name = "crew ✓",
        Leader = new Person { Name = "ada", Age = 36 },
        Members = [new Person { Name = "bob", Age = -1 }, null, new Person()],
        Color = Color.Blue,
        Rank = null,
    };

    [Fact]
    public void PlainNestedObjectRoundTrips()
    {
        Team team = SampleTeam();
        Team back = Packer.Unpack<Team>(Packer.Pack(team))!;
        Assert.Equal(team.Name, back.Name);
        Assert.Equal((team.Leader!.Name, team.Leader.Age), (back.Leader!.Name, back.Leader.Age));
        Assert.Equal(3, back.Members!.Count);
        Assert.Equal(("bob", -1), (back.Members[0]!.Name, back.Members[0]!.Age));
        Assert.Null(back.Members[1]);
        Assert.Equal(Color.Blue, back.Color);
        Assert.Null(back.Rank);
    }

    [Fact]
    public void NewerVersionIsReadByOlderReader()
    {
        var v2 = new PersonV2 { Name = "n", Age = 5, Partner = new PersonV2 { Name = "p" }, Tags = new() { [1] = "t" } };
        PersonV1 v1 = Packer.Unpack<PersonV1>(Packer.Pack(v2))!;
        Assert.Equal(("n", 5), (v1.Name, v1.Age));
    }

    [Fact]
    public void OlderVersionIsReadByNewerReader()
    {
        PersonV2 v2 = Packer.Unpack<PersonV2>(Packer.Pack(new PersonV1 { Name = "o", Age = 9 }))!;
        Assert.Equal(("o", 9), (v2.Name, v2.Age));
        Assert.Null(v2.Partner);
        Assert.Null(v2.Tags);
    }

    [Fact]
    public void VersionTolerantNestedRoundTrip()
    {
        var v2 = new PersonV2 { Name = "a", Age = 1, Partner = new PersonV2 { Name = "b", Tags = new() { [2] = null } } };
        PersonV2 back = Packer.Unpack<PersonV2>(Packer.Pack(v2))!;
        Assert.Equal("b", back.Partner!.Name);
        Assert.Equal(new Dictionary<int, string?> { [2] = null }, back.Partner.Tags);
    }

    [Fact]
    public void MemberThatOverrunsOrUnderrunsItsLengthIsRejected()
    {
        byte[] bytes = Packer.Pack(new PersonV1 { Name = "ab", Age = 7 });
        bytes[1] = 9; // name claims 9 bytes, holds 10
        Assert.Throws<PackException>(() => Packer.Unpack<PersonV1>(bytes));
        bytes[1] = 11; // name claims 11 bytes: one byte of Age would be left in the name member
        Assert.Throws<PackException>(() => Packer.Unpack<PersonV1>(bytes));
    }

    [Fact]
    public void NestedCollectionsCompose()
    {
        List<List<int>?> lists = [[1, 2], null, []];
        byte[] bytes = PackTest.Write((ref PackWriter w) =>
            PackCollections.WriteList<List<int>?, ListFormatter<int, UnmanagedFormatter<int>>>(ref w, lists));
        Assert.Equal("03000000 02000000 01000000 02000000 ffffffff 00000000".Replace(" ", ""), Hex.Of(bytes));
        Assert.Equal(lists, PackTest.Read(bytes, (ref PackReader r) =>
            PackCollections.ReadList<List<int>?, ListFormatter<int, UnmanagedFormatter<int>>>(ref r)));

        var map = new Dictionary<string, string?[]?> { ["k"] = ["v", null], ["e"] = null };
        byte[] mapBytes = PackTest.Write((ref PackWriter w) =>
            PackCollections.WriteDictionary<string, string?[]?, StringFormatter, ArrayFormatter<string?, StringFormatter>>(ref w, map));
        Assert.Equal(map, PackTest.Read(mapBytes, (ref PackReader r) =>
            PackCollections.ReadDictionary<string, string?[]?, StringFormatter, ArrayFormatter<string?, StringFormatter>>(ref r)));
    }

    [Fact]
    public void ReaderOverMultiSegmentSequence()
    {
        byte[] bytes = Packer.Pack(SampleTeam());
        var first = new Segment(bytes.AsMemory(0, 5));
        Segment last = first.Append(bytes.AsMemory(5));
        var reader = new PackReader(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length));
        Assert.Equal("crew ✓", reader.ReadPackable<Team>()!.Name);
        Assert.Equal(bytes.Length, reader.Consumed);
    }

    [Fact]
    public void DepthIsBoundedBothWays()
    {
        // The null that ends a chain is one more nested WritePackable call.
        Assert.Equal(PackCode.MaxDepth - 1, Count(Packer.Unpack<Node>(Packer.Pack(Node.Chain(PackCode.MaxDepth - 1)))));
        Assert.Throws<PackException>(() => Packer.Pack(Node.Chain(PackCode.MaxDepth)));

        var cycle = new Node();
        cycle.Next = cycle;
        Assert.Throws<PackException>(() => Packer.Pack(cycle));

        // 10 000 nested "02 00000000" headers with no end: must fail on depth, not the stack.
        byte[] deep = [.. Enumerable.Range(0, 10_000).SelectMany(_ => new byte[] { 2, 0, 0, 0, 0 })];
        Assert.Throws<PackException>(() => Packer.Unpack<Node>(deep));
    }

    [Fact]
    public void UnpairedSurrogateCannotBeWritten() =>
        Assert.Throws<PackException>(() => PackTest.Write((ref PackWriter w) => w.WriteString("a\ud800b")));

    [Theory]
    [InlineData("feffffff01000000 ff", "bad UTF-8")]
    [InlineData("fdffffff05000000 6162", "UTF-16 length disagrees")]
    [InlineData("f0ffffff", "UTF-8 count past the end")]
    [InlineData("00000080 00", "int.MinValue header")]
    [InlineData("ffffff7f", "UTF-16 count past the end")]
    [InlineData("feffff", "truncated header")]
    public void MalformedStringsThrowPackException(string hex, string because)
    {
        var e = Assert.Throws<PackException>(() => PackTest.Read(Hex.Bytes(hex), (ref PackReader r) => r.ReadString()));
        Assert.False(string.IsNullOrEmpty(e.Message), because);
    }

    [Fact]
    public void MalformedHeadersAndValuesThrowPackException()
    {
        Assert.Throws<PackException>(() => PackTest.Read(Hex.Bytes("feffffff"), (ref PackReader r) => r.ReadUnmanagedArray<int>()));
        Assert.Throws<PackException>(() => PackTest.Read(Hex.Bytes("ffffff7f 00"), (ref PackReader r) => r.ReadUnmanagedArray<byte>()));
        Assert.Throws<PackException>(() => PackTest.Read(Hex.Bytes("02000000 01000000"), (ref PackReader r) => r.ReadUnmanagedArray<int>()));
        Assert.Throws<PackException>(() => PackTest.Read(Hex.Bytes("fa"), (ref PackReader r) => r.TryReadObjectHeader(out _)));
        Assert.Throws<PackException>(() => PackTest.Read(Hex.Bytes("02"), (ref PackReader r) => r.ReadUnmanaged<bool>()));
        Assert.Throws<PackException>(() => PackTest.Read(Hex.Bytes("02000000 05000000"), (ref PackReader r) => r.ReadNullable<int>()));
        Assert.Throws<PackException>(() => PackTest.Read(Hex.Bytes("81 ffffffffffffffff"), (ref PackReader r) => r.ReadVarIntInt64()));
        Assert.Throws<PackException>(() => PackTest.Read(Hex.Bytes("83 ffffffff"), (ref PackReader r) => r.ReadVarIntInt32()));
        Assert.Throws<PackException>(() => Packer.Unpack<PersonV1>(Hex.Bytes("01 ff")));
        Assert.Throws<PackException>(() => Packer.Unpack<PersonV1>(Hex.Bytes("01 7f 00")));
        Assert.Throws<PackException>(() => Packer.Unpack<Person>(Hex.Bytes("00 00")));
    }

    [Fact]
    public void DictionaryKeysMustBeUniqueAndNotNull()
    {
        Assert.Throws<PackException>(() => PackTest.Read(Hex.Bytes("02000000 01000000 ffffffff 01000000 ffffffff"), (ref PackReader r) =>
            PackCollections.ReadDictionary<int, string?, UnmanagedFormatter<int>, StringFormatter>(ref r)));
        Assert.Throws<PackException>(() => PackTest.Read(Hex.Bytes("01000000 ffffffff ffffffff"), (ref PackReader r) =>
            PackCollections.ReadDictionary<string, string?, StringFormatter, StringFormatter>(ref r)));
    }

    static int Count(Node? node)
    {
        int n = 0;
        for (; node is not null; node = node.Next)
        {
            n++;
        }
        return n;
    }

    sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
