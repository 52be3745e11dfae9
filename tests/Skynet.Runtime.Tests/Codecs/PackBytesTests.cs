using Skynet.Codecs;

namespace Skynet.Runtime.Tests.Codecs;

/// <summary>The byte-level writer and reader under skynet.pack (MemoryPack's format is MemoryPack's, tested in Skynet.Snax.Tests).</summary>
public sealed class PackBytesTests
{
    [Fact]
    public void Unmanaged_values_and_raw_bytes_round_trip_little_endian_across_buffer_renewals()
    {
        var bytes = PackTest.Write((ref PackWriter w) =>
        {
            w.WriteUnmanaged((byte)1);
            w.WriteUnmanaged(0x0302);
            w.WriteRaw([9, 8, 7]);
            w.WriteUnmanaged(1.5);
            w.WriteUnmanaged(true);
        });
        Assert.Equal(Convert.FromHexString("01 02030000 090807 000000000000F83F 01".Replace(" ", "")), bytes);
        var (a, b, raw, c, d) = PackTest.Read(bytes, (ref PackReader r) =>
            (r.ReadUnmanaged<byte>(), r.ReadUnmanaged<int>(), r.ReadRaw(3).ToArray(), r.ReadUnmanaged<double>(), r.ReadUnmanaged<bool>()));
        Assert.Equal(((byte)1, 0x0302, 1.5, true), (a, b, c, d));
        Assert.Equal([9, 8, 7], raw);
    }

    [Fact]
    public void Reads_past_the_end_bad_booleans_and_bad_lengths_are_PackExceptions()
    {
        Assert.Throws<PackException>(() => new PackReader([1, 2, 3]).ReadUnmanaged<int>());
        Assert.Throws<PackException>(() => new PackReader([2]).ReadUnmanaged<bool>());
        Assert.Throws<PackException>(() => new PackReader([1, 2]).ReadRaw(3));
        Assert.Throws<PackException>(() => new PackReader([1, 2]).ReadRaw(-1));
        Assert.Equal(2, new PackReader([1, 2]).Remaining);
    }

    [Fact]
    public void Advancing_past_the_span_is_refused()
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>(4);
        var writer = new PackWriter(output);
        var span = writer.GetSpan(4);
        var tooFar = span.Length + 1;
        try
        {
            writer.Advance(tooFar);
            Assert.Fail("Advance past the span must throw.");
        }
        catch (ArgumentOutOfRangeException)
        {
        }
    }
}
