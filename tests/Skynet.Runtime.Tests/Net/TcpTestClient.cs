using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Skynet.Gate;
using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Net;

/// <summary>A plain TCP client for tests; every read is bounded by <see cref="TestNode.Patience"/>.</summary>
public sealed class TcpTestClient : IDisposable
{
    readonly Socket _socket;

    TcpTestClient(Socket socket) => _socket = socket;

    public Socket Socket => _socket;

    public static async Task<TcpTestClient> Connect(int port, int? receiveBuffer = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBuffer is { } size) socket.ReceiveBufferSize = size;
        await TestNode.Within(socket.ConnectAsync(IPAddress.Loopback, port));
        return new TcpTestClient(socket);
    }

    public async Task Send(byte[] data) => await TestNode.Within(_socket.SendAsync(data, SocketFlags.None));

    public Task Send(string text) => Send(System.Text.Encoding.UTF8.GetBytes(text));

    public Task SendFrame(byte[] payload) => Send(NetPack.Pack(payload));

    /// <summary>Reads exactly <paramref name="count"/> bytes; throws <see cref="EndOfStreamException"/> when the server closes first.</summary>
    public async Task<byte[]> ReadExactly(int count)
    {
        var buffer = new byte[count];
        var read = 0;
        using var timeout = new CancellationTokenSource(TestNode.Patience);
        while (read < count)
        {
            var n = await _socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, timeout.Token);
            if (n == 0) throw new EndOfStreamException($"closed after {read} of {count} bytes");
            read += n;
        }
        return buffer;
    }

    public async Task<byte[]> ReadFrame()
    {
        var header = await ReadExactly(2);
        var length = BinaryPrimitives.ReadUInt16BigEndian(header);
        return length == 0 ? [] : await ReadExactly(length);
    }

    /// <summary>Reads until the server closes (or resets) the connection and returns what came.</summary>
    public async Task<byte[]> ReadToEnd()
    {
        var all = new MemoryStream();
        var buffer = new byte[65536];
        using var timeout = new CancellationTokenSource(TestNode.Patience);
        while (true)
        {
            int n;
            try { n = await _socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token); }
            catch (SocketException) { break; }
            if (n == 0) break;
            all.Write(buffer, 0, n);
        }
        return all.ToArray();
    }

    /// <summary>Closes with a TCP reset instead of a FIN.</summary>
    public void Reset()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    public void Dispose() => _socket.Dispose();
}

public static class Eventually
{
    /// <summary>Polls a condition that the system reaches asynchronously (socket counts), bounded by the test patience.</summary>
    public static async Task True(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TestNode.Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for: {what}");
            await Task.Delay(5);
        }
    }
}
