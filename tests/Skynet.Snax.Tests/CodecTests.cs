namespace SnaxTests;

/// <summary>Golden vectors written by hand from MemoryPack's published binary layout, round trips and a fuzz run.</summary>
public sealed class CodecTests
{
    static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", ""));

    [Fact]
    public void Sequential_object_with_every_member_shape_matches_the_golden_bytes()
    {
        var player = new Player { Name = "ab", Level = 3, Mood = Mood.Angry, Rank = null, Friend = null, Tags = null, Scores = [1], Items = new() { ["k"] = 1 } };
        var expected = Hex(
            "08" +                               // 8 members
            "FDFFFFFF 02000000 6162" +           // "ab": ~byteCount, utf16 length, UTF-8
            "03000000" +                         // Level
            "02" +                               // Mood (byte enum)
            "0000000000000000" +                 // int? null: has-value 0, padding, empty value
            "FF" +                               // Friend null object
            "FFFFFFFF" +                         // Tags null collection
            "01000000 01000000" +                // Scores [1]
            "01000000 FEFFFFFF 01000000 6B 01000000"); // Items {"k": 1}
        Assert.Equal(expected, Packer.Pack(player));
        var back = Packer.Unpack<Player>(expected)!;
        Assert.Equal(("ab", 3, Mood.Angry, (int?)null), (back.Name, back.Level, back.Mood, back.Rank));
        Assert.Equal([1], back.Scores!);
        Assert.Equal(1, back.Items!["k"]);
    }

    [Fact]
    public void Version_tolerant_objects_match_the_golden_bytes()
    {
        Assert.Equal(Hex("02 04 04 01000000 02000000"), Packer.Pack(new Point(1, 2)));
        Assert.Equal(Hex("02 04 04 0000803F 00000040"), Packer.Pack(new Vector { X = 1, Y = 2 }));
        Assert.Equal(Hex("02 04 04 00000000 FFFFFFFF"), Packer.Pack(new Note { Text = "", Numbers = null }));
        Assert.Equal(Hex("FF"), Packer.Pack<Note>(null));
        Assert.Equal(new Point(1, 2), Packer.Unpack<Point>(Hex("02 04 04 01000000 02000000")));
    }

    [Fact]
    public void Version_tolerant_readers_skip_unknown_members_and_default_missing_ones()
    {
        // a newer writer added a third member (an int); an older one sent only X
        Assert.Equal(new Point(1, 2), Packer.Unpack<Point>(Hex("03 04 04 04 01000000 02000000 09000000")));
        Assert.Equal(new Point(1, 0), Packer.Unpack<Point>(Hex("01 04 01000000")));
        Assert.Equal(new Point(0, 2), Packer.Unpack<Point>(Hex("02 00 04 02000000")));
    }

    [Fact]
    public void Nested_round_trip_keeps_every_member()
    {
        var player = new Player
        {
            Name = "héllo", Level = -5, Mood = Mood.Calm, Rank = 9,
            Friend = new Player { Name = null, Tags = ["x", null] },
            Tags = [], Scores = [], Items = [],
        };
        var back = Packer.Unpack<Player>(Packer.Pack(player))!;
        Assert.Equal(("héllo", -5, Mood.Calm, (int?)9), (back.Name, back.Level, back.Mood, back.Rank));
        Assert.Null(back.Friend!.Name);
        Assert.Equal(["x", null], back.Friend.Tags!);
        Assert.Empty(back.Tags!);
        var note = new Note { Text = "n", Numbers = [1, 2, 3] };
        var copy = Packer.Unpack<Note>(Packer.Pack(note))!;
        Assert.Equal(note.Numbers, copy.Numbers!);
    }

    [Fact]
    public void Snax_requests_and_results_round_trip_through_bytes()
    {
        var message = Room.__SnaxExitMessage("bye");
        var bytes = SnaxCodec.PackRequest<Room>(message);
        Assert.Equal(Hex("00000000 01 FCFFFFFF 03000000 627965"), bytes);
        var back = SnaxCodec.UnpackRequest<Room>(bytes);
        Assert.Equal(SnaxMessage.ExitMethodId, back.MethodId);
        Assert.Equal(bytes, SnaxCodec.PackRequest<Room>(back));

        var echo = SnaxHotfix.Slots<Room>().Methods.Single(m => m.Name == "Echo");
        Assert.Equal(7, echo.Id);
        var result = SnaxCodec.PackResult<Room>(7, new Player { Name = "r" });
        Assert.Equal("r", ((Player)SnaxCodec.UnpackResult<Room>(7, result)!).Name);
        Assert.Throws<PackException>(() => SnaxCodec.UnpackRequest<Room>(Hex("39300000 00")));
    }

    [Fact]
    public void Hostile_bytes_only_ever_throw_PackException()
    {
        var random = new Random(20240611);
        var seeds = new[]
        {
            Packer.Pack(new Player { Name = "seed", Level = 1, Rank = 2, Friend = new Player { Tags = ["a"] }, Tags = ["t", null], Scores = [1, 2], Items = new() { ["a"] = 1 } }),
            Packer.Pack(new Note { Text = "hello", Numbers = [1, 2, 3] }),
            Packer.Pack(new Point(5, 6)),
            SnaxCodec.PackRequest<Room>(Room.__SnaxExitMessage("x")),
        };
        var decoders = new Action<byte[]>[]
        {
            b => Packer.Unpack<Player>(b),
            b => Packer.Unpack<Note>(b),
            b => Packer.Unpack<Point>(b),
            b => SnaxCodec.UnpackRequest<Room>(b),
        };
        const int Rounds = 100_000;
        for (var i = 0; i < Rounds; i++)
        {
            var which = i % decoders.Length;
            byte[] input;
            if (i % 3 == 0)
            {
                input = new byte[random.Next(0, 40)];
                random.NextBytes(input);
            }
            else
            {
                input = (byte[])seeds[which].Clone();
                var edits = random.Next(1, 4);
                for (var e = 0; e < edits && input.Length > 0; e++)
                {
                    switch (random.Next(4))
                    {
                        case 0: input[random.Next(input.Length)] = (byte)random.Next(256); break;
                        case 1: Array.Resize(ref input, random.Next(input.Length)); break;
                        case 2: if (input.Length >= 4) BitConverter.TryWriteBytes(input.AsSpan(random.Next(input.Length - 3)), random.Next(2) == 0 ? int.MaxValue : random.Next()); break;
                        default: input[random.Next(input.Length)] ^= 0x80; break;
                    }
                }
            }
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                decoders[which](input);
            }
            catch (PackException)
            {
            }
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < 1_000_000, $"decoding {Convert.ToHexString(input)} allocated {allocated} bytes");
        }
    }
}
