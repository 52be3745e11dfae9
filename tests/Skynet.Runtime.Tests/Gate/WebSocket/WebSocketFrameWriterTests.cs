using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using Skynet.Gate.WebSocket;

namespace Skynet.Runtime.Tests.Gate.WebSocket;

public class WebSocketFrameWriterTests
{
    private static byte[] Write(Action<IBufferWriter<byte>> write)
    {
        var writer = new ArrayBufferWriter<byte>();
        write(writer);
        return writer.WrittenSpan.ToArray();
    }

    private static readonly byte[] Hello = "Hello"u8.ToArray();

    [Fact]
    public void UnmaskedHello_IsTheRfcFrame()
    {
        byte[] expected = [0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f];
        Assert.Equal(expected, Write(w => WebSocketFrameWriter.WriteText(w, Hello)));
        Assert.Equal(expected, Write(w => WebSocketFrameWriter.WriteText(w, "Hello".AsSpan())));
    }

    [Fact]
    public void MaskedHello_IsTheRfcFrame()
    {
        Assert.Equal(
            new byte[] { 0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58 },
            WebSocketTestFrames.Client(WebSocketOpcode.Text, Hello));
    }

    [Fact]
    public void FragmentedHello_IsTheRfcFrames()
    {
        byte[] frames = Write(w =>
        {
            WebSocketFrameWriter.WriteFrame(w, WebSocketOpcode.Text, "Hel"u8, fin: false);
            WebSocketFrameWriter.WriteFrame(w, WebSocketOpcode.Continuation, "lo"u8);
        });
        Assert.Equal(new byte[] { 0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f }, frames);
    }

    [Fact]
    public void PingAndPong_AreTheRfcFrames()
    {
        Assert.Equal(new byte[] { 0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f }, Write(w => WebSocketFrameWriter.WritePing(w, Hello)));
        Assert.Equal(new byte[] { 0x8a, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f }, Write(w => WebSocketFrameWriter.WritePong(w, Hello)));
        Assert.Equal(
            new byte[] { 0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58 },
            WebSocketTestFrames.Client(WebSocketOpcode.Pong, Hello));
    }

    [Theory]
    [InlineData(125, new byte[] { 0x82, 0x7D })]
    [InlineData(126, new byte[] { 0x82, 0x7E, 0x00, 0x7E })]
    [InlineData(256, new byte[] { 0x82, 0x7E, 0x01, 0x00 })]
    [InlineData(65535, new byte[] { 0x82, 0x7E, 0xFF, 0xFF })]
    [InlineData(65536, new byte[] { 0x82, 0x7F, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00 })]
    public void LengthForms_AreShortest(int length, byte[] header)
    {
        var payload = new byte[length];
        new Random(length).NextBytes(payload);
        byte[] frame = Write(w => WebSocketFrameWriter.WriteBinary(w, payload));
        Assert.Equal(header, frame[..header.Length]);
        Assert.True(frame.AsSpan(header.Length).SequenceEqual(payload));
    }

    [Fact]
    public void Close_CarriesCodeAndReason()
    {
        Assert.Equal(new byte[] { 0x88, 0x05, 0x03, 0xE8, (byte)'b', (byte)'y', (byte)'e' },
            Write(w => WebSocketFrameWriter.WriteClose(w, WebSocketCloseStatus.NormalClosure, "bye")));
        Assert.Equal(new byte[] { 0x88, 0x02, 0x03, 0xEA }, Write(w => WebSocketFrameWriter.WriteClose(w, WebSocketCloseStatus.ProtocolError)));
        Assert.Equal(new byte[] { 0x88, 0x00 }, Write(WebSocketFrameWriter.WriteEmptyClose));
    }

    [Fact]
    public void Misuse_IsRejectedWithArgumentExceptions()
    {
        var writer = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentException>(() => WebSocketFrameWriter.WritePing(writer, new byte[126]));
        Assert.Throws<ArgumentException>(() => WebSocketFrameWriter.WriteFrame(writer, WebSocketOpcode.Ping, default, fin: false));
        Assert.Throws<ArgumentException>(() => WebSocketFrameWriter.WriteClose(writer, WebSocketCloseStatus.Empty));
        Assert.Throws<ArgumentException>(() => WebSocketFrameWriter.WriteClose(writer, (WebSocketCloseStatus)1006));
        Assert.Throws<ArgumentException>(() => WebSocketFrameWriter.WriteClose(writer, WebSocketCloseStatus.NormalClosure, new string('x', 124)));
        Assert.Throws<ArgumentOutOfRangeException>(() => WebSocketFrameWriter.WriteFrame(writer, (WebSocketOpcode)3, default));
        Assert.Throws<ArgumentException>(() => WebSocketClientFrameWriter.WriteFrame(writer, WebSocketOpcode.Text, default, new byte[3]));
        Assert.Equal(0, writer.WrittenCount);
    }

    [Fact]
    public void CloseReason_AtLimit_Fits()
    {
        string reason = new('x', WebSocketFrameWriter.MaxCloseReasonBytes);
        byte[] frame = Write(w => WebSocketFrameWriter.WriteClose(w, (WebSocketCloseStatus)4000, reason));
        Assert.Equal(0x7D, frame[1]);
        Assert.Equal(reason, Encoding.UTF8.GetString(frame, 4, frame.Length - 4));
    }
}
