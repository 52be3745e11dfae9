using Skynet.ClusterWire;

namespace Skynet.ClusterTests;

/// <summary>Multi-part reassembly: exact-size results, interleaved sessions, and the hostile-input bounds.</summary>
public sealed class LargeMessageAssemblerTests
{
    static byte[] Bytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    static ReadOnlyMemory<byte> Feed(LargeMessageAssembler<string> assembler, int session, byte[] message)
    {
        ReadOnlyMemory<byte> result = default;
        for (var at = 0; at < message.Length; at += ClusterFrames.MultiPart)
        {
            var size = Math.Min(ClusterFrames.MultiPart, message.Length - at);
            var last = at + size == message.Length;
            Assert.Equal(last, assembler.Append(session, message.AsSpan(at, size), last, out var meta, out result));
            if (last) Assert.Equal("meta", meta);
        }
        return result;
    }

    [Theory]
    [InlineData(ClusterFrames.MultiPart)]
    [InlineData(ClusterFrames.MultiPart + 1)]
    [InlineData(100_000)]
    [InlineData(1 << 20)]
    [InlineData((1 << 20) + 12345)]
    public void A_message_comes_back_whole_in_one_array_of_exactly_its_size(int size)
    {
        var assembler = new LargeMessageAssembler<string>(64 << 20, 128 << 20);
        var message = Bytes(size, size);
        assembler.Begin(7, size, "meta");
        var result = Feed(assembler, 7, message);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(result, out var segment));
        Assert.Equal((0, size, size), (segment.Offset, segment.Count, segment.Array!.Length));
        Assert.Equal(message, result.ToArray());
        Assert.Equal(0, assembler.OpenCount);
    }

    [Fact]
    public void Interleaved_sessions_do_not_mix()
    {
        var assembler = new LargeMessageAssembler<string>(64 << 20, 128 << 20);
        var a = Bytes(200_000, 1);
        var b = Bytes(150_000, 2);
        assembler.Begin(1, a.Length, "meta");
        assembler.Begin(2, b.Length, "meta");
        ReadOnlyMemory<byte> ra = default, rb = default;
        for (var at = 0; at < a.Length; at += ClusterFrames.MultiPart)
        {
            var sa = Math.Min(ClusterFrames.MultiPart, a.Length - at);
            assembler.Append(1, a.AsSpan(at, sa), at + sa == a.Length, out _, out var doneA);
            if (at + sa == a.Length) ra = doneA;
            if (at < b.Length)
            {
                var sb = Math.Min(ClusterFrames.MultiPart, b.Length - at);
                assembler.Append(2, b.AsSpan(at, sb), at + sb == b.Length, out _, out var doneB);
                if (at + sb == b.Length) rb = doneB;
            }
        }
        Assert.Equal(a, ra.ToArray());
        Assert.Equal(b, rb.ToArray());
    }

    [Fact]
    public void A_huge_announced_total_costs_only_what_arrived()
    {
        var assembler = new LargeMessageAssembler<string>(int.MaxValue, long.MaxValue);
        var part = Bytes(ClusterFrames.MultiPart, 3);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var session = 1; session <= 20; session++)
        {
            assembler.Begin(session, 1 << 30, "meta");
            assembler.Append(session, part, false, out _, out _);
        }
        // 20 sessions announcing 1 GiB each: the pooled chunks holding 32 KiB each, nowhere near 20 GiB.
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 4 << 20, "memory followed the announced totals");
        assembler.Clear();
        Assert.Equal(0, assembler.OpenCount);
    }

    [Fact]
    public void Bounds_still_hold_too_large_overrun_short_and_buffered()
    {
        var assembler = new LargeMessageAssembler<string>(1 << 20, 90_000);
        Assert.Throws<ClusterProtocolException>(() => assembler.Begin(1, (1 << 20) + 1, "meta"));

        assembler.Begin(2, 40_000, "meta");
        assembler.Append(2, Bytes(32_768, 4), false, out _, out _);
        Assert.Throws<ClusterProtocolException>(() => assembler.Append(2, Bytes(32_768, 5), false, out _, out _)); // overrun
        Assert.False(assembler.IsOpen(2));

        assembler.Begin(3, 40_000, "meta");
        assembler.Append(3, Bytes(32_768, 6), false, out _, out _);
        Assert.Throws<ClusterProtocolException>(() => assembler.Append(3, Bytes(10, 7), true, out _, out _)); // ends short
        Assert.False(assembler.IsOpen(3));

        for (var s = 10; s < 13; s++)
        {
            assembler.Begin(s, 1 << 20, "meta");
            if (s < 12) assembler.Append(s, Bytes(32_768, s), false, out _, out _);
        }
        Assert.Throws<ClusterProtocolException>(() => assembler.Append(12, Bytes(32_768, 12), false, out _, out _)); // 65 536 + 32 768 > 90 000
        Assert.Throws<ClusterProtocolException>(() => assembler.Append(99, Bytes(10, 1), true, out _, out _)); // began nothing
        Assert.Throws<ClusterProtocolException>(() => { assembler.Begin(10, 50_000, "meta"); }); // second begin
    }
}
