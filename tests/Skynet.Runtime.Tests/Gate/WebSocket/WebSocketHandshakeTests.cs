using System.Buffers;
using System.Text;
using Skynet.Gate.WebSocket;

namespace Skynet.Runtime.Tests.Gate.WebSocket;

public class WebSocketHandshakeTests
{
    // The client handshake from RFC 6455 section 1.2.
    private const string RfcRequest =
        "GET /chat HTTP/1.1\r\n" +
        "Host: server.example.com\r\n" +
        "Upgrade: websocket\r\n" +
        "Connection: Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
        "Origin: http://example.com\r\n" +
        "Sec-WebSocket-Protocol: chat, superchat\r\n" +
        "Sec-WebSocket-Version: 13\r\n" +
        "\r\n";

    private static ReadOnlySequence<byte> Bytes(string text) => new(Encoding.ASCII.GetBytes(text));

    private static WebSocketHandshakeError Refused(string text)
    {
        ReadOnlySequence<byte> buffer = Bytes(text);
        Assert.False(WebSocketHandshake.TryParseRequest(ref buffer, out WebSocketUpgradeRequest? request, out WebSocketHandshakeError? error));
        Assert.Null(request);
        return Assert.IsType<WebSocketHandshakeError>(error);
    }

    [Fact]
    public void AcceptKey_MatchesRfcExample()
    {
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketHandshake.ComputeAcceptKey("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    [Fact]
    public void RfcRequest_Parses()
    {
        ReadOnlySequence<byte> buffer = Bytes(RfcRequest);
        Assert.True(WebSocketHandshake.TryParseRequest(ref buffer, out WebSocketUpgradeRequest? request, out WebSocketHandshakeError? error));
        Assert.Null(error);
        Assert.True(buffer.IsEmpty);
        Assert.Equal("/chat", request.Target);
        Assert.Equal("server.example.com", request.Host);
        Assert.Equal("http://example.com", request.Origin);
        Assert.Equal("dGhlIHNhbXBsZSBub25jZQ==", request.Key);
        Assert.Equal(["chat", "superchat"], request.SubProtocols);
        Assert.Equal("Upgrade", request.Headers["connection"]);
    }

    [Fact]
    public void AcceptResponse_IsTheRfcResponse()
    {
        ReadOnlySequence<byte> buffer = Bytes(RfcRequest);
        Assert.True(WebSocketHandshake.TryParseRequest(ref buffer, out WebSocketUpgradeRequest? request, out _));
        Assert.Equal(
            "HTTP/1.1 101 Switching Protocols\r\n" +
            "Upgrade: websocket\r\n" +
            "Connection: Upgrade\r\n" +
            "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n" +
            "Sec-WebSocket-Protocol: chat\r\n" +
            "\r\n",
            WebSocketHandshake.BuildAcceptResponse(request, "chat"));

        var writer = new ArrayBufferWriter<byte>();
        WebSocketHandshake.WriteAcceptResponse(writer, request);
        Assert.Equal(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n",
            Encoding.ASCII.GetString(writer.WrittenSpan));

        Assert.Throws<ArgumentException>(() => WebSocketHandshake.BuildAcceptResponse(request, "mqtt"));
    }

    [Fact]
    public void EveryPrefix_NeedsMore_AndLeavesBufferAlone()
    {
        byte[] bytes = Encoding.ASCII.GetBytes(RfcRequest);
        for (int length = 0; length < bytes.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(bytes, 0, length);
            Assert.False(WebSocketHandshake.TryParseRequest(ref buffer, out _, out WebSocketHandshakeError? error));
            Assert.Null(error);
            Assert.Equal(length, buffer.Length);
        }
    }

    [Fact]
    public void MultiSegmentRequest_WithTrailingFrameBytes()
    {
        byte[] bytes = Encoding.ASCII.GetBytes(RfcRequest + "XYZ");
        ReadOnlySequence<byte> buffer = Sequences.BytePerSegment(bytes);
        Assert.True(WebSocketHandshake.TryParseRequest(ref buffer, out WebSocketUpgradeRequest? request, out _));
        Assert.Equal("/chat", request.Target);
        Assert.Equal("XYZ", Encoding.ASCII.GetString(buffer.ToArray()));
    }

    [Fact]
    public void BrowserStyleHeaders_AreAccepted()
    {
        ReadOnlySequence<byte> buffer = Bytes(
            "GET /ws?room=1 HTTP/1.1\r\nhost: localhost:8001\r\nupgrade: WebSocket\r\n" +
            "connection: keep-alive, Upgrade\r\nsec-websocket-version: 13\r\nsec-websocket-key:   AQIDBAUGBwgJCgsMDQ4PEA==  \r\n\r\n");
        Assert.True(WebSocketHandshake.TryParseRequest(ref buffer, out WebSocketUpgradeRequest? request, out _));
        Assert.Equal("/ws?room=1", request.Target);
        Assert.Equal("AQIDBAUGBwgJCgsMDQ4PEA==", request.Key);
        Assert.Empty(request.SubProtocols);
        Assert.Null(request.Origin);
    }

    private const string Good =
        "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n", "POST / HTTP/1.1\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\n", "GET / HTTP/1.0\r\n", 400)]
    [InlineData("GET / HTTP/1.1\r\n", "GET /\r\n", 400)]
    [InlineData("Host: x\r\n", "", 400)]
    [InlineData("Upgrade: websocket\r\n", "", 426)]
    [InlineData("Upgrade: websocket\r\n", "Upgrade: h2c\r\n", 426)]
    [InlineData("Connection: Upgrade\r\n", "Connection: keep-alive\r\n", 400)]
    [InlineData("Connection: Upgrade\r\n", "", 400)]
    [InlineData("Sec-WebSocket-Version: 13\r\n", "Sec-WebSocket-Version: 8\r\n", 426)]
    [InlineData("Sec-WebSocket-Version: 13\r\n", "", 426)]
    [InlineData("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", "", 400)]
    [InlineData("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", "Sec-WebSocket-Key: tooshort\r\n", 400)]
    [InlineData("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", "Sec-WebSocket-Key: AQIDBAUGBwgJCgsMDQ4P\r\n", 400)] // 15 bytes
    [InlineData("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", "Sec-WebSocket-Key: !!!!!!!!!!!!!!!!!!!!!!==\r\n", 400)]
    [InlineData("Host: x\r\n", "Host: x\r\n folded\r\n", 400)]
    [InlineData("Host: x\r\n", "Host : x\r\n", 400)]
    [InlineData("Host: x\r\n", "Host x\r\n", 400)]
    public void BadRequests_AreRefused(string replace, string with, int status)
    {
        WebSocketHandshakeError error = Refused(Good.Replace(replace, with));
        Assert.Equal(status, error.StatusCode);
        Assert.False(string.IsNullOrEmpty(error.Reason));
    }

    [Fact]
    public void DuplicateKey_IsRefused()
    {
        Assert.Equal(400, Refused(Good.Replace("\r\n\r\n", "\r\nSec-WebSocket-Key: AQIDBAUGBwgJCgsMDQ4PEA==\r\n\r\n")).StatusCode);
    }

    [Fact]
    public void HeadersOverLimit_AreRefused_WithOrWithoutTerminator()
    {
        string padding = "X-Pad: " + new string('a', WebSocketHandshake.MaxHeaderBytes) + "\r\n";
        Assert.Equal(400, Refused(Good.Replace("Host: x\r\n", "Host: x\r\n" + padding)).StatusCode);

        string unterminated = "GET / HTTP/1.1\r\n" + padding;
        WebSocketHandshakeError error = Refused(unterminated);
        Assert.Equal(400, error.StatusCode);
        Assert.Contains("8192", error.Reason);
    }

    [Fact]
    public void HeadersJustUnderLimit_AreAccepted()
    {
        int room = WebSocketHandshake.MaxHeaderBytes - Good.Length - "X-Pad: \r\n".Length;
        string request = Good.Replace("Host: x\r\n", "Host: x\r\nX-Pad: " + new string('a', room) + "\r\n");
        Assert.Equal(WebSocketHandshake.MaxHeaderBytes, request.Length);
        ReadOnlySequence<byte> buffer = Bytes(request);
        Assert.True(WebSocketHandshake.TryParseRequest(ref buffer, out _, out _));
    }

    [Fact]
    public void ErrorResponses_AreCompleteHttp()
    {
        WebSocketHandshakeError bad = Refused(Good.Replace("GET", "PUT"));
        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", bad.ResponseText);
        Assert.Contains("Content-Length: " + Encoding.UTF8.GetByteCount(bad.Reason) + "\r\n", bad.ResponseText);
        Assert.EndsWith("\r\n\r\n" + bad.Reason, bad.ResponseText);

        WebSocketHandshakeError version = Refused(Good.Replace("Version: 13", "Version: 7"));
        Assert.StartsWith("HTTP/1.1 426 Upgrade Required\r\n", version.ResponseText);
        Assert.Contains("\r\nSec-WebSocket-Version: 13\r\n", version.ResponseText);
        Assert.Contains("\r\nUpgrade: websocket\r\n", version.ResponseText);
    }
}
