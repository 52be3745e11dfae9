using System.Buffers;
using MemoryPack;
using Skynet.Codecs;

namespace SnaxTests;

/// <summary>The arguments of <see cref="Room.Echo"/> as a MemoryPack type: what the snax byte form must equal.</summary>
[MemoryPackable]
public partial class EchoArguments
{
    public Player? Player;
    public Vector V;
    public int? Maybe;
}

/// <summary>One string argument (<c>Room.OnExit(string reason)</c>) as a MemoryPack type.</summary>
[MemoryPackable]
public partial class OneString
{
    public string? A;
}

/// <summary>
/// The snax byte form against <see cref="MemoryPackSerializer"/> for the same values (golden bytes come from
/// MemoryPack itself, never written by hand), the way the cluster module uses it, and hostile input.
/// </summary>
public sealed class CodecTests
{
    static readonly byte[] EchoId = [7, 0, 0, 0];

    static Player SamplePlayer() => new()
    {
        Name = "héllo", Level = -5, Mood = Mood.Angry, Rank = 9,
        Friend = new Player { Name = null, Tags = ["x", null] },
        Tags = [], Scores = [1, 2], Items = new() { ["k"] = 1 },
    };

    [Fact]
    public void A_request_is_the_method_id_then_the_arguments_exactly_as_MemoryPack_writes_them()
    {
        var arguments = new EchoArguments { Player = SamplePlayer(), V = new Vector { X = 1, Y = 2 }, Maybe = null };
        byte[] expected = [.. EchoId, .. MemoryPackSerializer.Serialize(arguments)];

        var message = SnaxCodec.UnpackRequest<Room>(expected);
        Assert.Equal(7, message.MethodId);
        Assert.Equal(expected, SnaxCodec.PackRequest<Room>(message));

        var exit = SnaxCodec.PackRequest<Room>(Room.__SnaxExitMessage("bye"));
        Assert.Equal([0, 0, 0, 0, .. MemoryPackSerializer.Serialize(new OneString { A = "bye" })], exit);
        Assert.Equal(SnaxMessage.ExitMethodId, SnaxCodec.UnpackRequest<Room>(exit).MethodId);
    }

    [Fact]
    public void A_result_is_the_value_exactly_as_MemoryPack_writes_it()
    {
        var player = SamplePlayer();
        var bytes = SnaxCodec.PackResult<Room>(7, player);
        Assert.Equal(MemoryPackSerializer.Serialize(player), bytes);
        var back = (Player)SnaxCodec.UnpackResult<Room>(7, bytes)!;
        Assert.Equal(("héllo", -5, Mood.Angry, (int?)9, "x"), (back.Name, back.Level, back.Mood, back.Rank, back.Friend!.Tags![0]));

        var count = SnaxHotfix.Slots<Room>().Methods.Single(m => m.Name == "CountLater").Id;
        Assert.Equal(MemoryPackSerializer.Serialize(12), SnaxCodec.PackResult<Room>(count, 12));
        Assert.Equal(12, SnaxCodec.UnpackResult<Room>(count, MemoryPackSerializer.Serialize(12)));

        var nothing = SnaxHotfix.Slots<Room>().Methods.Single(m => m.Name == "Nothing").Id;
        Assert.Empty(SnaxCodec.PackResult<Room>(nothing, null));
        Assert.Null(SnaxCodec.UnpackResult<Room>(nothing, ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void Version_tolerant_arguments_keep_MemoryPacks_evolution_rules()
    {
        // Move(Point p, int dx): Point is version-tolerant, so a newer Point with a third member still reads.
        var move = SnaxHotfix.Slots<Room>().Methods.Single(m => m.Name == "Move").Id;
        var request = new ArrayBufferWriter<byte>();
        request.Write(BitConverter.GetBytes(move));
        request.Write(MemoryPackSerializer.Serialize(new MoveArgumentsV2 { P = new PointV2(1, 2, 99), Dx = 3 }));
        Assert.Equal(move, SnaxCodec.UnpackRequest<Room>(request.WrittenSpan).MethodId);
    }

    [Fact]
    public async Task Bytes_from_another_process_drive_a_real_service_and_its_reply_goes_back_as_bytes()
    {
        // What the cluster module does for a C#-to-C# call: bytes in, request into the service, result out as bytes.
        await using var t = new TestNode();
        var room = await TestNode.Within(Snax.NewService<Room>(t.Node, 1, "wire"));
        var player = SamplePlayer();
        byte[] wire = [.. EchoId, .. MemoryPackSerializer.Serialize(new EchoArguments { Player = player, V = new Vector { X = 3, Y = 4 }, Maybe = 5 })];

        var request = SnaxCodec.UnpackRequest<Room>(Segmented(wire, 3));
        var result = await TestNode.Within(t.Node.Call(room.Target, PType.Snax, request));
        var reply = new ArrayBufferWriter<byte>();
        SnaxCodec.PackResult<Room>(reply, request.MethodId, result);

        Assert.Equal(MemoryPackSerializer.Serialize(player), reply.WrittenSpan.ToArray());
        var back = (Player)SnaxCodec.UnpackResult<Room>(request.MethodId, Segmented(reply.WrittenSpan.ToArray(), 5))!;
        Assert.Equal(player.Name, back.Name);
        Assert.Equal(player.Items, back.Items);
    }

    [Fact]
    public void Malformed_requests_fail_with_a_PackException_that_says_what_is_wrong()
    {
        var unknown = Assert.Throws<PackException>(() => SnaxCodec.UnpackRequest<Room>(Hex("39300000 00")));
        Assert.Contains("no snax method with id 12345", unknown.Message);
        var count = Assert.Throws<PackException>(() => SnaxCodec.UnpackRequest<Room>([.. EchoId, 2]));
        Assert.Contains("Echo takes 3 argument(s); the request carries 2", count.Message);
        var truncated = Assert.Throws<PackException>(() => SnaxCodec.UnpackRequest<Room>([7, 0]));
        Assert.Contains("Truncated snax request", truncated.Message);
        var bad = Assert.Throws<PackException>(() => SnaxCodec.UnpackRequest<Room>([.. EchoId, 3, 8, 0xFF]));
        Assert.IsType<MemoryPackSerializationException>(bad.InnerException);
        Assert.StartsWith("Room: malformed snax request", bad.Message);
        var trailing = Assert.Throws<PackException>(() => SnaxCodec.UnpackRequest<Room>([.. SnaxCodec.PackRequest<Room>(Room.__SnaxExitMessage("x")), 0]));
        Assert.Contains("1 unexpected byte(s)", trailing.Message);
        Assert.Throws<PackException>(() => SnaxCodec.UnpackResult<Room>(12345, ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void A_forged_length_fails_before_anything_is_allocated_for_it()
    {
        // Player.Tags (a List<string?>) claims int.MaxValue elements in a 40-byte payload.
        var player = MemoryPackSerializer.Serialize(new Player { Tags = ["a"] });
        var forged = (byte[])player.Clone();
        var tags = Array.IndexOf(forged, (byte)1, 1 + 4 + 4 + 1 + 8 + 1); // the Tags count after Name, Level, Mood, Rank, Friend
        BitConverter.TryWriteBytes(forged.AsSpan(tags), int.MaxValue);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<PackException>(() => SnaxCodec.UnpackResult<Room>(7, forged));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 100_000);
    }

    /// <summary>Player.Friend nests Player: <paramref name="depth"/> levels of it, as MemoryPack would lay them out.</summary>
    static byte[] NestedPlayers(int depth)
    {
        var level = Hex("08 FFFFFFFF 00000000 00 0000000000000000"); // header, Name null, Level, Mood, Rank null; then Friend
        var tail = Hex("FFFFFFFF FFFFFFFF FFFFFFFF");                   // Tags, Scores, Items null
        var payload = new byte[(level.Length + tail.Length) * depth + 1];
        for (var i = 0; i < depth; i++) level.CopyTo(payload, i * level.Length);
        payload[level.Length * depth] = 0xFF; // the innermost Friend is null
        for (var i = 0; i < depth; i++) tail.CopyTo(payload, level.Length * depth + 1 + i * tail.Length);
        return payload;
    }

    [Fact]
    public void Deeply_nested_input_decodes_where_the_stack_can_follow_it_and_beyond_the_limit_fails_that_call()
    {
        // 8 000 levels need ~1.5 MB of MemoryPack reader frames: more than a default thread stack has, so a forged
        // payload like this would overflow the caller's stack and end the process. It decodes on a stack sized for it.
        var deep = (Player)SnaxCodec.UnpackResult<Room>(7, NestedPlayers(8_000))!;
        var depth = 0;
        for (var p = deep; p is not null; p = p.Friend) depth++;
        Assert.Equal(8_000, depth);

        // a million levels (30 MB) is past the limit for a type that can contain itself: that call fails, nothing else
        var error = Assert.Throws<PackException>(() => SnaxCodec.UnpackResult<Room>(7, NestedPlayers(1_000_000)));
        Assert.Contains("can contain itself", error.Message);
        var request = Assert.Throws<PackException>(() => SnaxCodec.UnpackRequest<Room>([.. EchoId, 3, .. NestedPlayers(1_000_000)]));
        Assert.Contains("can contain itself", request.Message);

        // the worst case the limit admits: one byte per level (Chain.Next), as many levels as the limit allows
        var link = SnaxHotfix.Slots<Shelf>().Methods.Single(m => m.Name == "Link").Id;
        var links = new byte[SnaxBytes.MaxNestingBytes];
        links.AsSpan(0, links.Length - 1).Fill(1);
        links[^1] = 0xFF;
        var levels = 0;
        for (var c = (Chain?)SnaxCodec.UnpackResult<Shelf>(link, links); c is not null; c = c.Next) levels++;
        Assert.Equal(SnaxBytes.MaxNestingBytes - 1, levels);
        byte[] linkRequest = [.. BitConverter.GetBytes(link), 1, .. links];
        Assert.Throws<PackException>(() => SnaxCodec.UnpackRequest<Shelf>(linkRequest)); // 5 bytes over the limit

        // and an ordinary nested value decodes on the caller's own stack
        var chain = new Player { Name = "0" };
        for (var i = 1; i < 100; i++) chain = new Player { Name = i.ToString(), Friend = chain };
        Assert.Equal("99", ((Player)SnaxCodec.UnpackResult<Room>(7, MemoryPackSerializer.Serialize(chain))!).Name);
    }

    [Fact]
    public void A_hundred_thousand_hostile_payloads_each_fail_only_their_own_call_with_a_PackException()
    {
        var random = new Random(20240611);
        var move = SnaxHotfix.Slots<Room>().Methods.Single(m => m.Name == "Move").Id;
        byte[][] seeds =
        [
            [.. EchoId, .. MemoryPackSerializer.Serialize(new EchoArguments { Player = SamplePlayer(), V = new Vector { X = 1 }, Maybe = 2 })],
            SnaxCodec.PackRequest<Room>(Room.__SnaxExitMessage("x")),
            [.. BitConverter.GetBytes(move), .. MemoryPackSerializer.Serialize(new MoveArgumentsV2 { P = new PointV2(5, 6, 7), Dx = 1 })],
            MemoryPackSerializer.Serialize(SamplePlayer()),
            MemoryPackSerializer.Serialize(new Note { Text = "hello", Numbers = [1, 2, 3] }),
        ];
        var decoders = new Func<byte[], object?>[]
        {
            b => SnaxCodec.UnpackRequest<Room>(b),
            b => SnaxCodec.UnpackRequest<Room>(b),
            b => SnaxCodec.UnpackRequest<Room>(new ReadOnlySequence<byte>(b)),
            b => SnaxCodec.UnpackResult<Room>(7, b),
            b => SnaxCodec.UnpackResult<Room>(SnaxHotfix.Slots<Room>().Methods.Single(m => m.Name == "LastNote").Id, b),
        };
        const int Rounds = 100_000;
        var failed = 0;
        for (var i = 0; i < Rounds; i++)
        {
            var which = i % decoders.Length;
            var input = Mutate(random, seeds[which], i);
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                decoders[which](input);
            }
            catch (PackException)
            {
                failed++;
            }
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < 1_000_000, $"decoding {Convert.ToHexString(input)} allocated {allocated} bytes");
        }
        Assert.InRange(failed, Rounds / 2, Rounds); // most mutations are malformed; the rest decoded to some value
    }

    static byte[] Mutate(Random random, byte[] seed, int round)
    {
        if (round % 3 == 0)
        {
            var noise = new byte[random.Next(0, 40)];
            random.NextBytes(noise);
            return noise;
        }
        var input = (byte[])seed.Clone();
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
        return input;
    }

    static ReadOnlySequence<byte> Segmented(byte[] bytes, int size)
    {
        Segment? first = null, last = null;
        for (var offset = 0; offset < bytes.Length; offset += size)
        {
            var part = bytes.AsMemory(offset, Math.Min(size, bytes.Length - offset));
            if (first is null) first = last = new Segment(part, 0);
            else last = last!.Append(part);
        }
        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }

    static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", ""));
}

/// <summary>A newer <see cref="Point"/> with a third member: old readers skip it (MemoryPack's version tolerance).</summary>
[MemoryPackable(GenerateType.VersionTolerant, SerializeLayout.Sequential)]
public sealed partial record PointV2(int X, int Y, int Z);

/// <summary>The arguments of <c>Room.Move</c> as a newer peer would send them.</summary>
[MemoryPackable]
public partial class MoveArgumentsV2
{
    public PointV2? P;
    public int Dx;
}
