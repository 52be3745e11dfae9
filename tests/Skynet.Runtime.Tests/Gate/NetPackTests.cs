using System.Buffers;
using Skynet.Gate;

namespace Skynet.Runtime.Tests.Gate;

public class NetPackTests
{
    private static byte[] Stream(params byte[][] payloads)
    {
        var writer = new ArrayBufferWriter<byte>();
        foreach (byte[] payload in payloads)
        {
            NetPack.WriteFrame(writer, payload);
        }

        return writer.WrittenSpan.ToArray();
    }

    private static List<byte[]> ReadAll(ref ReadOnlySequence<byte> buffer)
    {
        var frames = new List<byte[]>();
        while (NetPack.TryReadFrame(ref buffer, out ReadOnlySequence<byte> payload))
        {
            frames.Add(payload.ToArray());
        }

        return frames;
    }

    [Fact]
    public void WriteFrame_PutsBigEndianLengthFirst()
    {
        Assert.Equal(new byte[] { 0x00, 0x03, 1, 2, 3 }, Stream([1, 2, 3]));
        Assert.Equal(new byte[] { 0x01, 0x2C }, Stream(new byte[300])[..2]);
    }

    [Fact]
    public void Pack_MatchesWriteFrame()
    {
        byte[] payload = [9, 8, 7, 6];
        Assert.Equal(Stream(payload), NetPack.Pack(payload));
        Assert.Equal(new byte[] { 0, 0 }, NetPack.Pack(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void Oversized_Payload_IsArgumentException()
    {
        var tooLong = new byte[NetPack.MaxPayloadLength + 1];
        var writeError = Assert.Throws<ArgumentException>(() => NetPack.WriteFrame(new ArrayBufferWriter<byte>(), tooLong));
        Assert.Contains("65535", writeError.Message);
        Assert.Contains("65536", writeError.Message);
        Assert.Throws<ArgumentException>(() => NetPack.Pack(tooLong));
    }

    [Fact]
    public void MaxLengthFrame_RoundTrips()
    {
        byte[] payload = new byte[NetPack.MaxPayloadLength];
        new Random(1).NextBytes(payload);
        byte[] stream = Stream(payload);
        Assert.Equal(0xFF, stream[0]);
        Assert.Equal(0xFF, stream[1]);

        var buffer = new ReadOnlySequence<byte>(stream);
        Assert.True(NetPack.TryReadFrame(ref buffer, out ReadOnlySequence<byte> read));
        Assert.Equal(payload, read.ToArray());
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void EmptyBuffer_AndLoneFirstByte_NeedMore()
    {
        var empty = ReadOnlySequence<byte>.Empty;
        Assert.False(NetPack.TryReadFrame(ref empty, out _));

        var lone = new ReadOnlySequence<byte>(new byte[] { 0x00 });
        Assert.False(NetPack.TryReadFrame(ref lone, out _));
        Assert.Equal(1, lone.Length);
    }

    [Fact]
    public void IncompletePayload_LeavesBufferUntouched()
    {
        byte[] stream = Stream([1, 2, 3, 4]);
        var buffer = new ReadOnlySequence<byte>(stream, 0, stream.Length - 1);
        Assert.False(NetPack.TryReadFrame(ref buffer, out _));
        Assert.Equal(stream.Length - 1, buffer.Length);
    }

    [Fact]
    public void ZeroLengthFrames_AreFrames()
    {
        var buffer = new ReadOnlySequence<byte>(Stream([], [5], []));
        List<byte[]> frames = ReadAll(ref buffer);
        Assert.Equal(3, frames.Count);
        Assert.Empty(frames[0]);
        Assert.Equal(new byte[] { 5 }, frames[1]);
        Assert.Empty(frames[2]);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void ThousandCoalescedFrames_AllComeOut()
    {
        byte[][] payloads = Enumerable.Range(0, 1000).Select(i => Enumerable.Repeat((byte)i, i % 37).ToArray()).ToArray();
        var buffer = new ReadOnlySequence<byte>(Stream(payloads));
        List<byte[]> frames = ReadAll(ref buffer);
        Assert.Equal(payloads, frames);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void TwoSegments_SplitAtEveryPosition()
    {
        byte[][] payloads = [[1, 2, 3], [], new byte[300], [4]];
        byte[] stream = Stream(payloads);
        for (int cut = 0; cut <= stream.Length; cut++)
        {
            ReadOnlySequence<byte> buffer = Sequences.Split(stream, cut);
            Assert.Equal(payloads, ReadAll(ref buffer));
            Assert.True(buffer.IsEmpty, $"cut {cut}");
        }
    }

    [Fact]
    public void OneBytePerSegment_IncludingHeaders()
    {
        byte[][] payloads = [[1, 2, 3], [], [7, 7], new byte[260]];
        ReadOnlySequence<byte> buffer = Sequences.BytePerSegment(Stream(payloads));
        Assert.Equal(payloads, ReadAll(ref buffer));
    }

    [Fact]
    public void GrowingPrefix_YieldsFramesOnlyWhenComplete()
    {
        // What a PipeReader does: the same bytes offered again with more appended.
        byte[][] payloads = [[1], [2, 3], [], [4, 5, 6]];
        byte[] stream = Stream(payloads);
        var frames = new List<byte[]>();
        int consumed = 0;
        for (int end = 0; end <= stream.Length; end++)
        {
            var buffer = new ReadOnlySequence<byte>(stream, consumed, end - consumed);
            frames.AddRange(ReadAll(ref buffer));
            consumed = end - (int)buffer.Length;
        }

        Assert.Equal(payloads, frames);
    }
}
