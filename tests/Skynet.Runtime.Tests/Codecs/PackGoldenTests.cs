using Skynet.Codecs;
using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Codecs;

/// <summary>Golden bytes derived by hand from MemoryPack's published wire format (README "Binary wire format
/// specification", MemoryPack 1.21.4): little-endian unmanaged values, object = member-count byte (255 null),
/// collection = int32 count (-1 null), string = int32 ~utf8Count, int32 utf16Length, bytes (0 empty, -1 null),
/// version-tolerant object = count, VarInt lengths, members.</summary>
public class PackGoldenTests
{
    static void Golden<T>(string hex, WriteStep write, ReadStep<T> read, T expected)
    {
        byte[] bytes = PackTest.Write(write);
        Assert.Equal(hex.Replace(" ", "", StringComparison.Ordinal), Hex.Of(bytes));
        Assert.Equal(expected, PackTest.Read(bytes, read));
    }

    [Fact]
    public void Primitives()
    {
        Golden("01", (ref PackWriter w) => w.WriteUnmanaged(true), (ref PackReader r) => r.ReadUnmanaged<bool>(), true);
        Golden("ab", (ref PackWriter w) => w.WriteUnmanaged((byte)0xab), (ref PackReader r) => r.ReadUnmanaged<byte>(), (byte)0xab);
        Golden("80", (ref PackWriter w) => w.WriteUnmanaged(sbyte.MinValue), (ref PackReader r) => r.ReadUnmanaged<sbyte>(), sbyte.MinValue);
        Golden("feff", (ref PackWriter w) => w.WriteUnmanaged((short)-2), (ref PackReader r) => r.ReadUnmanaged<short>(), (short)-2);
        Golden("3412", (ref PackWriter w) => w.WriteUnmanaged((ushort)0x1234), (ref PackReader r) => r.ReadUnmanaged<ushort>(), (ushort)0x1234);
        Golden("4100", (ref PackWriter w) => w.WriteUnmanaged('A'), (ref PackReader r) => r.ReadUnmanaged<char>(), 'A');
        Golden("78563412", (ref PackWriter w) => w.WriteUnmanaged(0x12345678), (ref PackReader r) => r.ReadUnmanaged<int>(), 0x12345678);
        Golden("ffffffff", (ref PackWriter w) => w.WriteUnmanaged(uint.MaxValue), (ref PackReader r) => r.ReadUnmanaged<uint>(), uint.MaxValue);
        Golden("0100000000000080", (ref PackWriter w) => w.WriteUnmanaged(long.MinValue + 1), (ref PackReader r) => r.ReadUnmanaged<long>(), long.MinValue + 1);
        Golden("0200000000000000", (ref PackWriter w) => w.WriteUnmanaged(2UL), (ref PackReader r) => r.ReadUnmanaged<ulong>(), 2UL);
        Golden("0000c03f", (ref PackWriter w) => w.WriteUnmanaged(1.5f), (ref PackReader r) => r.ReadUnmanaged<float>(), 1.5f);
        Golden("000000000000f83f", (ref PackWriter w) => w.WriteUnmanaged(1.5), (ref PackReader r) => r.ReadUnmanaged<double>(), 1.5);
        Golden("02", (ref PackWriter w) => w.WriteUnmanaged(Color.Blue), (ref PackReader r) => r.ReadUnmanaged<Color>(), Color.Blue);
    }

    [Fact]
    public void Strings()
    {
        Golden("fcffffff 03000000 616263", (ref PackWriter w) => w.WriteString("abc"), (ref PackReader r) => r.ReadString(), "abc");
        // "héllo": 6 UTF-8 bytes (~6 = -7), 5 UTF-16 units.
        Golden("f9ffffff 05000000 68c3a96c6c6f", (ref PackWriter w) => w.WriteString("héllo"), (ref PackReader r) => r.ReadString(), "héllo");
        // A surrogate pair: 4 UTF-8 bytes, 2 UTF-16 units.
        Golden("fbffffff 02000000 f09f9880", (ref PackWriter w) => w.WriteString("😀"), (ref PackReader r) => r.ReadString(), "😀");
        Golden("00000000", (ref PackWriter w) => w.WriteString(""), (ref PackReader r) => r.ReadString(), "");
        Golden("ffffffff", (ref PackWriter w) => w.WriteString(null), (ref PackReader r) => r.ReadString(), null);
    }

    [Fact]
    public void ReaderAcceptsUtf16FormAndUnknownUtf16Length()
    {
        Assert.Equal("hi", PackTest.Read(Hex.Bytes("02000000 6800 6900"), (ref PackReader r) => r.ReadString()));
        Assert.Equal("hi", PackTest.Read(Hex.Bytes("fdffffff ffffffff 6869"), (ref PackReader r) => r.ReadString()));
    }

    [Fact]
    public void LongStringsUseTheSameForm()
    {
        string s = new('q', 5000);
        byte[] bytes = PackTest.Write((ref PackWriter w) => w.WriteString(s));
        Assert.Equal("77ecffff88130000", Hex.Of(bytes.AsSpan(0, 8)));
        Assert.Equal(s, PackTest.Read(bytes, (ref PackReader r) => r.ReadString()));
    }

    [Fact]
    public void ObjectHeaders()
    {
        Assert.Equal("ff", Hex.Of(PackTest.Write((ref PackWriter w) => w.WriteNullObjectHeader())));
        Assert.Equal("03", Hex.Of(PackTest.Write((ref PackWriter w) => w.WriteObjectHeader(3))));
        Assert.Equal("ff", Hex.Of(Packer.Pack<Person>(null)));
        Assert.Throws<ArgumentOutOfRangeException>(() => PackTest.Write((ref PackWriter w) => w.WriteObjectHeader(250)));
    }

    [Fact]
    public void ArrayOfInts()
    {
        byte[] bytes = PackTest.Write((ref PackWriter w) => w.WriteUnmanagedArray(new[] { 1, 2, -1 }));
        Assert.Equal("03000000 01000000 02000000 ffffffff".Replace(" ", ""), Hex.Of(bytes));
        Assert.Equal(new[] { 1, 2, -1 }, PackTest.Read(bytes, (ref PackReader r) => r.ReadUnmanagedArray<int>()));
        // The formatter path writes the same bytes as the raw-span path.
        Assert.Equal(bytes, PackTest.Write((ref PackWriter w) => PackCollections.WriteArray<int, UnmanagedFormatter<int>>(ref w, [1, 2, -1])));
        Golden<int[]?>("ffffffff", (ref PackWriter w) => w.WriteUnmanagedArray<int>(null), (ref PackReader r) => r.ReadUnmanagedArray<int>(), null);
        Golden<byte[]?>("00000000", (ref PackWriter w) => w.WriteUnmanagedSpan<byte>([]), (ref PackReader r) => r.ReadUnmanagedArray<byte>(), []);
        Golden<byte[]?>("02000000 beef", (ref PackWriter w) => w.WriteUnmanagedSpan<byte>([0xbe, 0xef]), (ref PackReader r) => r.ReadUnmanagedArray<byte>(), [0xbe, 0xef]);
    }

    [Fact]
    public void ListOfStrings()
    {
        Golden<List<string?>?>("03000000 feffffff01000000 61 ffffffff 00000000",
            (ref PackWriter w) => PackCollections.WriteList<string?, StringFormatter>(ref w, ["a", null, ""]),
            (ref PackReader r) => PackCollections.ReadList<string?, StringFormatter>(ref r),
            ["a", null, ""]);
        Golden<List<string?>?>("ffffffff",
            (ref PackWriter w) => PackCollections.WriteList<string?, StringFormatter>(ref w, null),
            (ref PackReader r) => PackCollections.ReadList<string?, StringFormatter>(ref r),
            null);
    }

    [Fact]
    public void DictionaryOfIntToString()
    {
        Golden<Dictionary<int, string?>?>("02000000 01000000 feffffff01000000 61 02000000 ffffffff",
            (ref PackWriter w) => PackCollections.WriteDictionary<int, string?, UnmanagedFormatter<int>, StringFormatter>(ref w, new() { [1] = "a", [2] = null }),
            (ref PackReader r) => PackCollections.ReadDictionary<int, string?, UnmanagedFormatter<int>, StringFormatter>(ref r),
            new Dictionary<int, string?> { [1] = "a", [2] = null });
    }

    [Fact]
    public void DictionaryOfUnmanagedPairsUsesKeyValuePairLayout()
    {
        // KeyValuePair<int, long>: key, 4 bytes padding, value (MemoryPack copies the struct as it is).
        Golden<Dictionary<int, long>?>("01000000 07000000 00000000 0900000000000000",
            (ref PackWriter w) => PackCollections.WriteDictionary<int, long, UnmanagedFormatter<int>, UnmanagedFormatter<long>>(ref w, new() { [7] = 9 }),
            (ref PackReader r) => PackCollections.ReadDictionary<int, long, UnmanagedFormatter<int>, UnmanagedFormatter<long>>(ref r),
            new Dictionary<int, long> { [7] = 9 });
    }

    [Fact]
    public void NullableInts()
    {
        // Nullable<int> raw layout: has-value byte, 3 bytes padding, value.
        Golden<int?>("01000000 05000000", (ref PackWriter w) => w.WriteNullable<int>(5), (ref PackReader r) => r.ReadNullable<int>(), 5);
        Golden<int?>("00000000 00000000", (ref PackWriter w) => w.WriteNullable<int>(null), (ref PackReader r) => r.ReadNullable<int>(), null);
        Golden<long?>("0100000000000000 0700000000000000", (ref PackWriter w) => w.WriteNullable<long>(7), (ref PackReader r) => r.ReadNullable<long>(), 7);
        Golden<byte?>("0109", (ref PackWriter w) => w.WriteNullable<byte>(9), (ref PackReader r) => r.ReadNullable<byte>(), (byte)9);
    }

    [Fact]
    public void VarInts()
    {
        // MemoryPack's WriteVarInt(int): -120..127 in one byte, else a type code and the smallest fitting type.
        (int Value, string Hex)[] cases =
        [
            (0, "00"), (127, "7f"), (-120, "88"), (128, "84 8000"), (-121, "86 87"), (-128, "86 80"),
            (-129, "84 7fff"), (32767, "84 ff7f"), (32768, "82 00800000"), (int.MinValue, "82 00000080"),
        ];
        foreach ((int value, string hex) in cases)
        {
            Golden(hex, (ref PackWriter w) => w.WriteVarInt(value), (ref PackReader r) => r.ReadVarIntInt32(), value);
        }
        // Codes MemoryPack's other overloads write are read too: byte, ushort, uint, ulong, long.
        Assert.Equal(200, PackTest.Read(Hex.Bytes("87 c8"), (ref PackReader r) => r.ReadVarIntInt32()));
        Assert.Equal(40000, PackTest.Read(Hex.Bytes("85 409c"), (ref PackReader r) => r.ReadVarIntInt32()));
        Assert.Equal(40000, PackTest.Read(Hex.Bytes("83 409c0000"), (ref PackReader r) => r.ReadVarIntInt32()));
        Assert.Equal(1L << 40, PackTest.Read(Hex.Bytes("81 0000000000010000"), (ref PackReader r) => r.ReadVarIntInt64()));
        Assert.Equal(-1L, PackTest.Read(Hex.Bytes("80 ffffffffffffffff"), (ref PackReader r) => r.ReadVarIntInt64()));
    }

    [Fact]
    public void PlainObject()
    {
        var person = new Person { Name = "ab", Age = 7 };
        Assert.Equal("02 fdffffff02000000 6162 07000000".Replace(" ", ""), Hex.Of(Packer.Pack(person)));
        Person? back = Packer.Unpack<Person>(Packer.Pack(person));
        Assert.Equal(("ab", 7), (back!.Name, back.Age));
    }

    [Fact]
    public void VersionTolerantObject()
    {
        var person = new PersonV1 { Name = "ab", Age = 7 };
        // count 2, VarInt lengths 10 and 4, then the members.
        Assert.Equal("02 0a 04 fdffffff02000000 6162 07000000".Replace(" ", ""), Hex.Of(Packer.Pack(person)));
        Assert.Equal("ff", Hex.Of(Packer.Pack<PersonV1>(null)));
    }

    [Fact]
    public void NestedObjects()
    {
        var team = new Team
        {
            Name = "t",
            Leader = new Person { Name = null, Age = 1 },
            Members = [new Person { Name = "", Age = 2 }, null],
            Color = Color.Red,
            Rank = 3,
        };
        string expected =
            "05" + "feffffff01000000 74"                  // Name
            + "02 ffffffff 01000000"                      // Leader
            + "02000000 02 00000000 02000000 ff"          // Members
            + "01"                                        // Color
            + "01000000 03000000";                        // Rank
        Assert.Equal(expected.Replace(" ", ""), Hex.Of(Packer.Pack(team)));
    }

    [Fact]
    public void NestedVersionTolerantObjects()
    {
        var inner = new PersonV2 { Name = "b", Age = 2 };
        var outer = new PersonV2 { Name = "a", Age = 1, Partner = inner, Tags = new() { [5] = "x" } };
        string innerHex = "04 09 04 01 04" + "feffffff01000000 62" + "02000000" + "ff" + "ffffffff";
        string tags = "01000000 05000000 feffffff01000000 78";
        string outerHex = "04 09 04 17 11" + "feffffff01000000 61" + "01000000" + innerHex + tags;
        Assert.Equal(outerHex.Replace(" ", ""), Hex.Of(Packer.Pack(outer)));
    }
}
