using System.Buffers;
using Skynet.Gate;

namespace Skynet.Runtime.Tests.Gate;

public class NetPackDecoderTests
{
    private static byte[] Stream(IEnumerable<byte[]> payloads)
    {
        var writer = new ArrayBufferWriter<byte>();
        foreach (byte[] payload in payloads)
        {
            NetPack.WriteFrame(writer, payload);
        }

        return writer.WrittenSpan.ToArray();
    }

    private static readonly byte[][] Sample = [[1, 2, 3], [], new byte[300], [0xAB], []];

    [Fact]
    public void SplitAtEveryPosition_TwoChunks()
    {
        byte[] stream = Stream(Sample);
        for (int cut = 0; cut <= stream.Length; cut++)
        {
            using var decoder = new NetPackDecoder();
            var frames = new List<byte[]>();
            Assert.Equal(NetPackDecodeResult.Ok, decoder.Feed(stream.AsSpan(0, cut), frames));
            Assert.Equal(NetPackDecodeResult.Ok, decoder.Feed(stream.AsSpan(cut), frames));
            Assert.Equal(Sample, frames);
            Assert.Equal(0, decoder.BufferedBytes);
        }
    }

    [Fact]
    public void SplitAtEveryPairOfPositions_ThreeChunks()
    {
        byte[][] payloads = [[1, 2], [], [3, 4, 5]];
        byte[] stream = Stream(payloads);
        for (int a = 0; a <= stream.Length; a++)
        {
            for (int b = a; b <= stream.Length; b++)
            {
                var decoder = new NetPackDecoder();
                var frames = new List<byte[]>();
                decoder.Feed(stream.AsSpan(0, a), frames);
                decoder.Feed(stream.AsSpan(a, b - a), frames);
                decoder.Feed(stream.AsSpan(b), frames);
                Assert.Equal(payloads, frames);
            }
        }
    }

    [Fact]
    public void OneByteAtATime_ReportsBufferedBytes()
    {
        byte[] stream = Stream([[1, 2, 3]]);
        using var decoder = new NetPackDecoder();
        var frames = new List<byte[]>();
        int[] expectedBuffered = [1, 2, 3, 4, 0];
        for (int i = 0; i < stream.Length; i++)
        {
            decoder.Feed(stream.AsSpan(i, 1), frames);
            Assert.Equal(expectedBuffered[i], decoder.BufferedBytes);
        }

        Assert.Equal(new[] { new byte[] { 1, 2, 3 } }, frames);
    }

    [Fact]
    public void OneByteAtATime_ManyFrames()
    {
        byte[] stream = Stream(Sample);
        var decoder = new NetPackDecoder();
        var frames = new List<byte[]>();
        foreach (byte b in stream)
        {
            decoder.Feed([b], frames);
        }

        Assert.Equal(Sample, frames);
    }

    [Fact]
    public void ThousandFramesInOneChunk_DeliveredInPlaceInOrder()
    {
        byte[][] payloads = Enumerable.Range(0, 1000).Select(i => BitConverter.GetBytes(i)[..(i % 5)]).ToArray();
        var decoder = new NetPackDecoder();
        var frames = new List<byte[]>();
        Assert.Equal(NetPackDecodeResult.Ok, decoder.Feed(Stream(payloads), frames));
        Assert.Equal(payloads, frames);
    }

    [Fact]
    public void CallbackForm_PassesStateWithoutClosure()
    {
        byte[] stream = Stream(Sample);
        var decoder = new NetPackDecoder();
        var lengths = new List<int>();
        decoder.Feed(stream.AsSpan(0, 10), lengths, static (list, payload) => list.Add(payload.Length));
        decoder.Feed(stream.AsSpan(10), lengths, static (list, payload) => list.Add(payload.Length));
        Assert.Equal(Sample.Select(p => p.Length), lengths);
    }

    [Fact]
    public void ZeroLengthFrames_WithSplitHeaders()
    {
        var decoder = new NetPackDecoder();
        var frames = new List<byte[]>();
        decoder.Feed([0x00], frames);
        Assert.Empty(frames);
        decoder.Feed([0x00, 0x00], frames);
        Assert.Single(frames);
        decoder.Feed([0x00], frames);
        Assert.Equal(2, frames.Count);
        Assert.All(frames, Assert.Empty);
        Assert.Equal(0, decoder.BufferedBytes);
    }

    [Fact]
    public void MaxLengthFrame_AcrossChunks()
    {
        byte[] payload = new byte[NetPack.MaxPayloadLength];
        new Random(7).NextBytes(payload);
        byte[] stream = Stream([payload]);
        var decoder = new NetPackDecoder();
        var frames = new List<byte[]>();
        for (int offset = 0; offset < stream.Length; offset += 4096)
        {
            decoder.Feed(stream.AsSpan(offset, Math.Min(4096, stream.Length - offset)), frames);
        }

        Assert.Equal(payload, Assert.Single(frames));
    }

    [Fact]
    public void FrameOverLimit_IsReportedAfterEarlierFrames_AndSticks()
    {
        var decoder = new NetPackDecoder(maxFrameLength: 4);
        var frames = new List<byte[]>();
        byte[] stream = Stream([[1, 2, 3, 4], [1, 2, 3, 4, 5], [9]]);

        Assert.Equal(NetPackDecodeResult.FrameTooLong, decoder.Feed(stream, frames));
        Assert.Equal(new[] { new byte[] { 1, 2, 3, 4 } }, frames);
        Assert.True(decoder.IsFaulted);
        Assert.Equal(5, decoder.RejectedFrameLength);
        Assert.Equal(0, decoder.BufferedBytes);

        Assert.Equal(NetPackDecodeResult.FrameTooLong, decoder.Feed(Stream([[1]]), frames));
        Assert.Single(frames);

        decoder.Reset();
        Assert.False(decoder.IsFaulted);
        Assert.Equal(-1, decoder.RejectedFrameLength);
        Assert.Equal(NetPackDecodeResult.Ok, decoder.Feed(Stream([[1]]), frames));
        Assert.Equal(2, frames.Count);
    }

    [Fact]
    public void FrameOverLimit_WithHeaderSplitAcrossChunks()
    {
        var decoder = new NetPackDecoder(maxFrameLength: 255);
        var frames = new List<byte[]>();
        Assert.Equal(NetPackDecodeResult.Ok, decoder.Feed([0x01], frames));
        Assert.Equal(NetPackDecodeResult.FrameTooLong, decoder.Feed([0x00, 0xAA], frames));
        Assert.Equal(256, decoder.RejectedFrameLength);
        Assert.Empty(frames);
    }

    [Fact]
    public void ZeroLimit_AllowsOnlyEmptyFrames()
    {
        var decoder = new NetPackDecoder(maxFrameLength: 0);
        var frames = new List<byte[]>();
        Assert.Equal(NetPackDecodeResult.Ok, decoder.Feed([0, 0, 0, 0], frames));
        Assert.Equal(2, frames.Count);
        Assert.Equal(NetPackDecodeResult.FrameTooLong, decoder.Feed([0, 1, 0], frames));
    }

    [Fact]
    public void Limit_OutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NetPackDecoder(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NetPackDecoder(NetPack.MaxPayloadLength + 1));
    }

    [Fact]
    public void Reset_DropsPartialFrame()
    {
        var decoder = new NetPackDecoder();
        var frames = new List<byte[]>();
        decoder.Feed([0x00, 0x05, 1, 2], frames);
        Assert.Equal(4, decoder.BufferedBytes);
        decoder.Reset();
        Assert.Equal(0, decoder.BufferedBytes);
        decoder.Feed([0x00, 0x01, 9], frames);
        Assert.Equal(new[] { new byte[] { 9 } }, frames);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(20240607)]
    public void RandomFrames_RandomSplits_ComeOutIntactInOrder(int seed)
    {
        var random = new Random(seed);
        var payloads = new List<byte[]>();
        for (int i = 0; i < 400; i++)
        {
            // Mostly small frames, a few large ones, some empty: the mix a game client sends.
            int length = random.Next(10) switch
            {
                0 => 0,
                1 => random.Next(1000, NetPack.MaxPayloadLength + 1),
                _ => random.Next(1, 200),
            };
            var payload = new byte[length];
            random.NextBytes(payload);
            payloads.Add(payload);
        }

        byte[] stream = Stream(payloads);
        var decoder = new NetPackDecoder();
        var frames = new List<byte[]>();
        int offset = 0;
        while (offset < stream.Length)
        {
            int chunk = Math.Min(stream.Length - offset, random.Next(3) == 0 ? random.Next(1, 4) : random.Next(1, 9000));
            Assert.Equal(NetPackDecodeResult.Ok, decoder.Feed(stream.AsSpan(offset, chunk), frames));
            offset += chunk;
        }

        Assert.Equal(payloads.Count, frames.Count);
        for (int i = 0; i < payloads.Count; i++)
        {
            Assert.True(payloads[i].AsSpan().SequenceEqual(frames[i]), $"frame {i} differs");
        }

        Assert.Equal(0, decoder.BufferedBytes);
    }
}
