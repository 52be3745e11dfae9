using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using Skynet.Gate.WebSocket;
using static Skynet.Runtime.Tests.Gate.WebSocket.WebSocketTestFrames;

namespace Skynet.Runtime.Tests.Gate.WebSocket;

public class WebSocketFrameDecoderTests
{
    private static readonly byte[] Hello = "Hello"u8.ToArray();

    private static Decoded Single(byte[] stream)
    {
        var (messages, error) = DecodeWhole(stream);
        Assert.Null(error);
        return Assert.Single(messages);
    }

    private static void AssertError(byte[] stream, WebSocketCloseStatus expected, int maxMessageLength = WebSocketFrameDecoder.DefaultMaxMessageLength)
    {
        var (_, error) = DecodeWhole(stream, maxMessageLength);
        Assert.NotNull(error);
        Assert.Equal(expected, error.Value.CloseStatus);
        Assert.True(Encoding.UTF8.GetByteCount(error.Value.Reason) <= WebSocketFrameWriter.MaxCloseReasonBytes);
    }

    [Fact]
    public void MaskedHello_FromTheRfc()
    {
        byte[] frame = [0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58];
        Assert.Equal(new Decoded(WebSocketMessageKind.Text, Hello), Single(frame));
    }

    [Fact]
    public void UnmaskedHello_FromTheRfc_IsProtocolError()
    {
        AssertError([0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f], WebSocketCloseStatus.ProtocolError);
    }

    [Fact]
    public void FragmentedHello_IsReassembled()
    {
        byte[] stream = Concat(Client(WebSocketOpcode.Text, "Hel"u8.ToArray(), fin: false), Client(WebSocketOpcode.Continuation, "lo"u8.ToArray()));
        Assert.Equal(new Decoded(WebSocketMessageKind.Text, Hello), Single(stream));
    }

    [Fact]
    public void ControlFrames_MayInterleaveFragments()
    {
        byte[] stream = Concat(
            Client(WebSocketOpcode.Binary, [1, 2], fin: false),
            Client(WebSocketOpcode.Ping, Hello),
            Client(WebSocketOpcode.Continuation, [3], fin: false),
            Client(WebSocketOpcode.Pong, []),
            Client(WebSocketOpcode.Continuation, [4]));
        var (messages, error) = DecodeWhole(stream);
        Assert.Null(error);
        Assert.Equal(
            [new Decoded(WebSocketMessageKind.Ping, Hello), new Decoded(WebSocketMessageKind.Pong, []), new Decoded(WebSocketMessageKind.Binary, [1, 2, 3, 4])],
            messages);
    }

    [Fact]
    public void PingAndPong_FromTheRfc()
    {
        Assert.Equal(new Decoded(WebSocketMessageKind.Ping, Hello), Single(Client(WebSocketOpcode.Ping, Hello)));
        Assert.Equal(new Decoded(WebSocketMessageKind.Pong, Hello), Single([0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(125)]
    [InlineData(126)]
    [InlineData(256)]
    [InlineData(65535)]
    [InlineData(65536)]
    public void BinaryLengthForms_RoundTrip(int length)
    {
        var payload = new byte[length];
        new Random(length).NextBytes(payload);
        byte[] frame = Client(WebSocketOpcode.Binary, payload);
        if (length == 256)
        {
            Assert.Equal(new byte[] { 0x82, 0xFE, 0x01, 0x00 }, frame[..4]);
        }
        else if (length == 65536)
        {
            Assert.Equal(new byte[] { 0x82, 0xFF, 0, 0, 0, 0, 0, 0x01, 0, 0 }, frame[..10]);
        }

        Assert.Equal(new Decoded(WebSocketMessageKind.Binary, payload), Single(frame));
    }

    [Fact]
    public void NonMinimalLength_IsAccepted()
    {
        // Minimal length encoding binds senders only; receivers stay liberal.
        Assert.Equal(new Decoded(WebSocketMessageKind.Binary, [1, 2, 3]), Single(Raw(0x82, [1, 2, 3], [0, 3])));
        Assert.Equal(new Decoded(WebSocketMessageKind.Binary, [1]), Single(Raw(0x82, [1], [0, 0, 0, 0, 0, 0, 0, 1])));
    }

    [Fact]
    public void EmptyMessages()
    {
        Assert.Equal(new Decoded(WebSocketMessageKind.Text, []), Single(Client(WebSocketOpcode.Text, [])));
        Assert.Equal(new Decoded(WebSocketMessageKind.Binary, []), Single(Concat(Client(WebSocketOpcode.Binary, [], fin: false), Client(WebSocketOpcode.Continuation, []))));
    }

    [Fact]
    public void CloseFrames_ParseCodeAndReason()
    {
        Assert.Equal(new Decoded(WebSocketMessageKind.Close, [], null, ""), Single(Client(WebSocketOpcode.Close, [])));
        Assert.Equal(
            new Decoded(WebSocketMessageKind.Close, [0x03, 0xE8, (byte)'b', (byte)'y', (byte)'e'], WebSocketCloseStatus.NormalClosure, "bye"),
            Single(Client(WebSocketOpcode.Close, [0x03, 0xE8, (byte)'b', (byte)'y', (byte)'e'])));
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(1001)]
    [InlineData(1003)]
    [InlineData(1007)]
    [InlineData(1011)]
    [InlineData(1014)]
    [InlineData(3000)]
    [InlineData(4999)]
    public void ValidCloseCodes_AreAccepted(int code)
    {
        Decoded close = Single(Client(WebSocketOpcode.Close, [(byte)(code >> 8), (byte)code]));
        Assert.Equal((WebSocketCloseStatus)code, close.CloseStatus);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(999)]
    [InlineData(1004)]
    [InlineData(1005)]
    [InlineData(1006)]
    [InlineData(1015)]
    [InlineData(1016)]
    [InlineData(2999)]
    [InlineData(5000)]
    [InlineData(65535)]
    public void InvalidCloseCodes_AreProtocolErrors(int code)
    {
        AssertError(Client(WebSocketOpcode.Close, [(byte)(code >> 8), (byte)code]), WebSocketCloseStatus.ProtocolError);
    }

    [Fact]
    public void OneByteClose_IsProtocolError() => AssertError(Client(WebSocketOpcode.Close, [0x03]), WebSocketCloseStatus.ProtocolError);

    [Fact]
    public void InvalidUtf8CloseReason_IsInvalidPayload() =>
        AssertError(Client(WebSocketOpcode.Close, [0x03, 0xE8, 0xFF]), WebSocketCloseStatus.InvalidPayloadData);

    [Theory]
    [InlineData(0x40)]
    [InlineData(0x20)]
    [InlineData(0x10)]
    [InlineData(0x70)]
    public void ReservedBits_AreProtocolErrors(int rsv) =>
        AssertError(Raw((byte)(0x81 | rsv), Hello), WebSocketCloseStatus.ProtocolError);

    [Theory]
    [InlineData(0x3)]
    [InlineData(0x4)]
    [InlineData(0x5)]
    [InlineData(0x6)]
    [InlineData(0x7)]
    [InlineData(0xB)]
    [InlineData(0xC)]
    [InlineData(0xD)]
    [InlineData(0xE)]
    [InlineData(0xF)]
    public void UnknownOpcodes_AreProtocolErrors(int opcode) =>
        AssertError(Raw((byte)(0x80 | opcode), []), WebSocketCloseStatus.ProtocolError);

    [Fact]
    public void LongControlFrame_IsProtocolError()
    {
        AssertError(Raw(0x89, new byte[126], [0, 126]), WebSocketCloseStatus.ProtocolError);
        AssertError(Raw(0x88, new byte[126], [0, 126]), WebSocketCloseStatus.ProtocolError);
    }

    [Fact]
    public void ControlFrameOfExactly125_IsAccepted()
    {
        Assert.Equal(125, Single(Raw(0x89, new byte[125])).Payload.Length);
    }

    [Fact]
    public void FragmentedControlFrame_IsProtocolError() =>
        AssertError(Raw(0x09, Hello), WebSocketCloseStatus.ProtocolError);

    [Fact]
    public void ContinuationWithoutStart_IsProtocolError() =>
        AssertError(Client(WebSocketOpcode.Continuation, Hello), WebSocketCloseStatus.ProtocolError);

    [Fact]
    public void NewDataFrameDuringFragmentation_IsProtocolError()
    {
        AssertError(Concat(Client(WebSocketOpcode.Text, Hello, fin: false), Client(WebSocketOpcode.Text, Hello)), WebSocketCloseStatus.ProtocolError);
        AssertError(Concat(Client(WebSocketOpcode.Text, Hello, fin: false), Client(WebSocketOpcode.Binary, Hello)), WebSocketCloseStatus.ProtocolError);
    }

    [Fact]
    public void SixtyFourBitLengthWithHighBit_IsProtocolError()
    {
        byte[] header = [0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0x01];
        AssertError(header, WebSocketCloseStatus.ProtocolError);
    }

    [Fact]
    public void OversizedMessage_IsMessageTooBig_BeforeThePayloadArrives()
    {
        AssertError(Client(WebSocketOpcode.Binary, new byte[101]), WebSocketCloseStatus.MessageTooBig, maxMessageLength: 100);

        // Only the header: the decoder must not wait for 2^40 bytes.
        AssertError([0x82, 0xFF, 0, 0, 0x01, 0, 0, 0, 0, 0], WebSocketCloseStatus.MessageTooBig);

        // The limit applies to the reassembled message, not to each fragment.
        byte[] fragments = Concat(Client(WebSocketOpcode.Binary, new byte[60], fin: false), Client(WebSocketOpcode.Continuation, new byte[41]));
        AssertError(fragments, WebSocketCloseStatus.MessageTooBig, maxMessageLength: 100);

        byte[] exactly = Concat(Client(WebSocketOpcode.Binary, new byte[60], fin: false), Client(WebSocketOpcode.Continuation, new byte[40]));
        Assert.Equal(100, Assert.Single(DecodeWhole(exactly, 100).Messages).Payload.Length);
    }

    [Fact]
    public void InvalidUtf8Text_IsInvalidPayload()
    {
        AssertError(Client(WebSocketOpcode.Text, [0xC3, 0x28]), WebSocketCloseStatus.InvalidPayloadData);
        AssertError(Client(WebSocketOpcode.Text, [0xED, 0xA0, 0x80]), WebSocketCloseStatus.InvalidPayloadData); // a surrogate
        AssertError(Concat(Client(WebSocketOpcode.Text, [0xE2, 0x82], fin: false), Client(WebSocketOpcode.Continuation, [])), WebSocketCloseStatus.InvalidPayloadData);
    }

    [Fact]
    public void Utf8SplitAcrossFragments_IsValid()
    {
        byte[] euro = "€"u8.ToArray(); // E2 82 AC
        byte[] stream = Concat(Client(WebSocketOpcode.Text, euro[..1], fin: false), Client(WebSocketOpcode.Continuation, euro[1..]));
        Assert.Equal(new Decoded(WebSocketMessageKind.Text, euro), Single(stream));
    }

    [Fact]
    public void Fault_IsSticky_UntilReset()
    {
        using var decoder = new WebSocketFrameDecoder();
        var bad = new ReadOnlySequence<byte>(Client(WebSocketOpcode.Continuation, Hello));
        Assert.Equal(WebSocketDecodeStatus.Error, decoder.TryReadMessage(ref bad, out _, out _));
        Assert.True(decoder.IsFaulted);

        var good = new ReadOnlySequence<byte>(Client(WebSocketOpcode.Text, Hello));
        Assert.Equal(WebSocketDecodeStatus.Error, decoder.TryReadMessage(ref good, out _, out WebSocketProtocolError error));
        Assert.Equal(WebSocketCloseStatus.ProtocolError, error.CloseStatus);

        decoder.Reset();
        Assert.Equal(WebSocketDecodeStatus.Message, decoder.TryReadMessage(ref good, out WebSocketMessage message, out _));
        Assert.Equal(Hello, message.Payload.ToArray());
        Assert.True(good.IsEmpty);
    }

    [Fact]
    public void ConsumedFragments_AdvanceTheBuffer_AndAreBuffered()
    {
        using var decoder = new WebSocketFrameDecoder();
        byte[] first = Client(WebSocketOpcode.Text, "Hel"u8.ToArray(), fin: false);
        var buffer = new ReadOnlySequence<byte>(Concat(first, [0x80]));
        Assert.Equal(WebSocketDecodeStatus.NeedMoreData, decoder.TryReadMessage(ref buffer, out _, out _));
        Assert.Equal(1, buffer.Length);
        Assert.Equal(3, decoder.BufferedMessageBytes);
    }

    private static readonly byte[] Story = Concat(
        Client(WebSocketOpcode.Text, Hello),
        Client(WebSocketOpcode.Text, "Hé"u8.ToArray(), fin: false),
        Client(WebSocketOpcode.Ping, [1, 2, 3]),
        Client(WebSocketOpcode.Continuation, "llo €"u8.ToArray()),
        Client(WebSocketOpcode.Binary, Enumerable.Range(0, 300).Select(i => (byte)i).ToArray()),
        Client(WebSocketOpcode.Binary, [], fin: false),
        Client(WebSocketOpcode.Continuation, [9], fin: false),
        Client(WebSocketOpcode.Continuation, [8]),
        Client(WebSocketOpcode.Close, [0x03, 0xE8, (byte)'o', (byte)'k']));

    private static readonly Decoded[] StoryMessages =
    [
        new(WebSocketMessageKind.Text, Hello),
        new(WebSocketMessageKind.Ping, [1, 2, 3]),
        new(WebSocketMessageKind.Text, "Héllo €"u8.ToArray()),
        new(WebSocketMessageKind.Binary, Enumerable.Range(0, 300).Select(i => (byte)i).ToArray()),
        new(WebSocketMessageKind.Binary, [9, 8]),
        new(WebSocketMessageKind.Close, [0x03, 0xE8, (byte)'o', (byte)'k'], WebSocketCloseStatus.NormalClosure, "ok"),
    ];

    [Fact]
    public void SplitAtEveryBytePosition()
    {
        for (int cut = 0; cut <= Story.Length; cut++)
        {
            var (messages, error) = Decode(new WebSocketFrameDecoder(), Story, [cut]);
            Assert.Null(error);
            Assert.Equal(StoryMessages, messages);
        }
    }

    [Fact]
    public void OneByteAtATime()
    {
        var (messages, error) = Decode(new WebSocketFrameDecoder(), Story, Enumerable.Repeat(1, Story.Length));
        Assert.Null(error);
        Assert.Equal(StoryMessages, messages);
    }

    // One to four UTF-8 bytes per character, so random fragment cuts land inside characters.
    private static readonly string[] TextAlphabet = ["a", "é", "€", "𝄞"];

    [Theory]
    [InlineData(3)]
    [InlineData(6455)]
    [InlineData(987654)]
    public void RandomMessages_RandomFragmentation_RandomSplits(int seed)
    {
        var random = new Random(seed);
        var expected = new List<Decoded>();
        var frames = new List<byte[]>();
        for (int m = 0; m < 200; m++)
        {
            byte[] mask = new byte[4];
            random.NextBytes(mask);
            if (random.Next(6) == 0)
            {
                byte[] ping = new byte[random.Next(126)];
                random.NextBytes(ping);
                frames.Add(Client(WebSocketOpcode.Ping, ping, mask: mask));
                expected.Add(new Decoded(WebSocketMessageKind.Ping, ping));
                continue;
            }

            bool text = random.Next(2) == 0;
            byte[] payload = text
                ? Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, random.Next(120)).Select(_ => TextAlphabet[random.Next(TextAlphabet.Length)])))
                : new byte[random.Next(random.Next(10) == 0 ? 70000 : 400)];
            if (!text)
            {
                random.NextBytes(payload);
            }

            // Cut into 1..4 fragments at random points (text may split inside a character: that is legal).
            int pieces = random.Next(1, 5);
            int[] cuts = Enumerable.Range(0, pieces - 1).Select(_ => random.Next(payload.Length + 1)).Order().ToArray();
            int start = 0;
            for (int p = 0; p < pieces; p++)
            {
                int end = p == pieces - 1 ? payload.Length : cuts[p];
                WebSocketOpcode opcode = p == 0 ? (text ? WebSocketOpcode.Text : WebSocketOpcode.Binary) : WebSocketOpcode.Continuation;
                frames.Add(Client(opcode, payload[start..end], fin: p == pieces - 1, mask: mask));
                start = end;
            }

            expected.Add(new Decoded(text ? WebSocketMessageKind.Text : WebSocketMessageKind.Binary, payload));
        }

        byte[] stream = Concat([.. frames]);
        var chunks = new List<int>();
        for (int total = 0; total < stream.Length;)
        {
            int size = random.Next(3) == 0 ? random.Next(1, 5) : random.Next(1, 5000);
            chunks.Add(size);
            total += size;
        }

        var (messages, error) = Decode(new WebSocketFrameDecoder(), stream, chunks);
        Assert.Null(error);
        Assert.Equal(expected.Count, messages.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.True(expected[i].Equals(messages[i]), $"message {i} differs");
        }
    }
}
