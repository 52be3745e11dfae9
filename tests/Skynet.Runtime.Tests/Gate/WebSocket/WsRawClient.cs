using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text;
using Skynet.Gate.WebSocket;
using Skynet.Runtime.Tests.Net;

namespace Skynet.Runtime.Tests.Gate.WebSocket;

/// <summary>A hand-driven WebSocket client over plain TCP, for sending what a browser never would.</summary>
public sealed class WsRawClient : IDisposable
{
    WsRawClient(TcpTestClient tcp) => Tcp = tcp;

    public TcpTestClient Tcp { get; }

    public const string Upgrade =
        "GET /chat HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

    /// <summary>Connects and completes the upgrade; <paramref name="after"/> is sent in the same write as the request.</summary>
    public static async Task<WsRawClient> Connect(int port, byte[]? after = null, int? receiveBuffer = null)
    {
        var client = new WsRawClient(await TcpTestClient.Connect(port, receiveBuffer));
        await client.Tcp.Send([.. Encoding.ASCII.GetBytes(Upgrade), .. after ?? []]);
        var head = await client.ReadHead();
        if (!head.StartsWith("HTTP/1.1 101", StringComparison.Ordinal) || !head.Contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", StringComparison.Ordinal))
            throw new InvalidOperationException("unexpected handshake response: " + head);
        return client;
    }

    /// <summary>Reads an HTTP response head up to its blank line.</summary>
    public async Task<string> ReadHead()
    {
        var head = new List<byte>();
        while (head.Count < 4 || !(head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
            head.Add((await Tcp.ReadExactly(1))[0]);
        return Encoding.ASCII.GetString(head.ToArray());
    }

    public Task Send(WebSocketOpcode opcode, byte[] payload, bool fin = true) => Tcp.Send(WebSocketTestFrames.Client(opcode, payload, fin));

    public Task SendText(string text) => Send(WebSocketOpcode.Text, Encoding.UTF8.GetBytes(text));

    /// <summary>Reads one server frame (which must be unmasked).</summary>
    public async Task<(WebSocketOpcode Opcode, bool Fin, byte[] Payload)> ReadFrame()
    {
        var head = await Tcp.ReadExactly(2);
        if ((head[1] & 0x80) != 0) throw new InvalidOperationException("the server masked a frame");
        long length = head[1] & 0x7f;
        if (length == 126) length = BinaryPrimitives.ReadUInt16BigEndian(await Tcp.ReadExactly(2));
        else if (length == 127) length = (long)BinaryPrimitives.ReadUInt64BigEndian(await Tcp.ReadExactly(8));
        var payload = length == 0 ? [] : await Tcp.ReadExactly((int)length);
        return ((WebSocketOpcode)(head[0] & 0x0f), (head[0] & 0x80) != 0, payload);
    }

    public async Task<string> ReadText()
    {
        var (opcode, _, payload) = await ReadFrame();
        if (opcode != WebSocketOpcode.Text) throw new InvalidOperationException($"expected text, got {opcode}");
        return Encoding.UTF8.GetString(payload);
    }

    /// <summary>Reads the server's close frame and returns its status, then expects the connection to end.</summary>
    public async Task<(WebSocketCloseStatus? Status, string Reason)> ReadClose()
    {
        var (opcode, _, payload) = await ReadFrame();
        if (opcode != WebSocketOpcode.Close) throw new InvalidOperationException($"expected close, got {opcode}");
        var rest = await Tcp.ReadToEnd();
        if (rest.Length != 0) throw new InvalidOperationException($"{rest.Length} bytes after the close frame");
        return payload.Length < 2
            ? (null, "")
            : ((WebSocketCloseStatus)BinaryPrimitives.ReadUInt16BigEndian(payload), Encoding.UTF8.GetString(payload, 2, payload.Length - 2));
    }

    public void Dispose() => Tcp.Dispose();
}
