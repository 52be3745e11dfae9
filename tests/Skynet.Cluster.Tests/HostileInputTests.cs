using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Skynet.ClusterWire;
using Skynet.Codecs;

namespace Skynet.ClusterTests;

/// <summary>
/// Bad bytes on either end of a cluster connection close that connection with a log line; the node keeps serving
/// everyone else, and no announced size makes it reserve memory.
/// </summary>
public sealed class HostileInputTests : IAsyncLifetime
{
    readonly Node _server = new("db");
    Address _echo;
    int _port;

    public async Task InitializeAsync()
    {
        _echo = await _server.Spawn((self, m) => { self.Ret(((object?[])m.Payload!)[0]); return default; });
        _server.Cluster.Register("echo", _echo);
        _server.Cluster.Options.MaxMessageSize = 1 << 20;
        _server.Cluster.Options.MaxBufferedBytes = 1 << 20;
        _port = (await Node.Within(_server.Cluster.Open(0, "127.0.0.1"))).Port;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    static byte[] Frame(params byte[] body)
    {
        var frame = new byte[2 + body.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)body.Length);
        body.CopyTo(frame, 2);
        return frame;
    }

    static byte[] LargeBegin(int session, uint total)
    {
        var body = new byte[13];
        body[0] = ClusterFrames.RequestNumberLarge;
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(1), 5);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(5), (uint)session);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(9), total);
        return Frame(body);
    }

    static byte[] Part(int session, bool last, int size)
    {
        var body = new byte[5 + size];
        body[0] = last ? ClusterFrames.RequestLastPart : ClusterFrames.RequestPart;
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(1), (uint)session);
        return Frame(body);
    }

    public static TheoryData<string, byte[]> BadStreams() => new()
    {
        { "unknown frame type", Frame(0x55, 1, 2, 3) },
        { "empty frame", Frame() },
        { "request shorter than its header", Frame(0, 5, 0, 0) },
        { "named request whose name runs past the frame", Frame(0x80, 200, (byte)'@', (byte)'x') },
        { "multi-part header of the wrong size", Frame(1, 5, 0, 0, 0, 1, 0, 0, 0, 0, 0x80, 0, 0, 0) },
        { "multi-part header with session 0", LargeBegin(0, 40000) },
        { "huge announced total", LargeBegin(1, 0xFFFFFFF0) },
        { "announced total over the limit", LargeBegin(1, (1 << 20) + 1) },
        { "announced total too small for multi-part", LargeBegin(1, 100) },
        { "piece for a session that began nothing", Part(9, false, 10) },
        { "last piece for a session that began nothing", Part(9, true, 10) },
        { "truncated multi-part (last piece ends short)", [.. LargeBegin(1, 40000), .. Part(1, false, 32768), .. Part(1, true, 10)] },
        { "multi-part overrun", [.. LargeBegin(1, 40000), .. Part(1, false, 32768), .. Part(1, false, 32768)] },
        { "second begin on an open session", [.. LargeBegin(1, 40000), .. LargeBegin(1, 40000)] },
        { "buffered multi-part bytes over the per-connection limit", [.. Enumerable.Range(1, 40).SelectMany(s => LargeBegin(s, 1 << 20).Concat(Part(s, false, 32768)))] },
    };

    [Theory]
    [MemberData(nameof(BadStreams))]
    public async Task Bad_bytes_close_the_connection_with_a_log_line_and_the_node_serves_on(string why, byte[] stream)
    {
        using var socket = await Connect();
        await socket.SendAsync(stream.AsMemory(), SocketFlags.None);
        await AssertClosed(socket, why);
        await _server.Logs.WaitFor("sent bad data, closing it");
        await AssertServes();
    }

    [Fact]
    public async Task A_peer_piling_up_unanswered_calls_is_cut_off()
    {
        var hold = await _server.Spawn((self, message) => { self.Response(); return default; });
        _server.Cluster.Register("hold", hold);
        _server.Cluster.Options.MaxRequestsInFlight = 3;
        await using var client = new Node("client");
        await Node.Within(client.Cluster.Reload(ClusterCallTests.Map(("db", $"127.0.0.1:{_port}"))));
        var calls = Enumerable.Range(0, 4).Select(_ => client.Cluster.Call("db", "@hold").AsTask()).ToArray();
        foreach (var call in calls)
        {
            var ex = await Assert.ThrowsAsync<CallFailedException>(() => Node.Within(call));
            Assert.Equal(CallFailure.NodeDown, ex.Failure);
        }
        await _server.Logs.WaitFor("MaxRequestsInFlight");
        _server.Cluster.Options.MaxRequestsInFlight = 100;
        await AssertServes();
    }

    [Fact]
    public async Task A_peer_that_hangs_up_mid_frame_or_mid_message_costs_nothing()
    {
        using (var socket = await Connect())
        {
            await socket.SendAsync(new byte[] { 0x00, 0x20, 0x00, 0x05 }.AsMemory(), SocketFlags.None);
        }
        using (var socket = await Connect())
        {
            await socket.SendAsync(LargeBegin(3, 40000).Concat(Part(3, false, 32768)).ToArray().AsMemory(), SocketFlags.None);
        }
        await AssertServes();
    }

    [Fact]
    public async Task Random_frames_never_crash_the_node()
    {
        var random = new Random(1234);
        for (var i = 0; i < 40; i++)
        {
            using var socket = await Connect();
            var body = new byte[random.Next(0, 64)];
            random.NextBytes(body);
            if (body.Length > 0 && i % 2 == 0) body[0] = (byte)(i % 5); // aim at real frame types too
            await socket.SendAsync(Frame(body).AsMemory(), SocketFlags.None);
            socket.Shutdown(SocketShutdown.Send);
            await Drain(socket);
        }
        await AssertServes();
    }

    [Fact]
    public void The_frame_parsers_reject_every_bad_body_with_a_protocol_exception_only()
    {
        var random = new Random(99);
        for (var i = 0; i < 20000; i++)
        {
            var body = new byte[random.Next(0, 40)];
            random.NextBytes(body);
            if (body.Length > 4 && i % 3 == 0) body[4] = (byte)(i % 6);
            if (body.Length > 0 && i % 3 == 1) body[0] = (byte)new[] { 0, 1, 2, 3, 4, 0x41, 0x80, 0x81, 0xc1 }[i % 9];
            try { _ = ClusterRequestFrame.Parse(body).Kind; } catch (ClusterProtocolException) { }
            try { _ = ClusterResponseFrame.Parse(body).Kind; } catch (ClusterProtocolException) { }
        }
    }

    [Fact]
    public async Task A_server_replying_to_an_unknown_session_fails_the_caller_with_NodeDown()
    {
        await using var client = new Node("client");
        using var fake = new TcpListener(IPAddress.Loopback, 0);
        fake.Start();
        await Node.Within(client.Cluster.Reload(ClusterCallTests.Map(("fake", $"127.0.0.1:{((IPEndPoint)fake.LocalEndpoint).Port}"))));
        var call = client.Cluster.Call("fake", "@x", "GET").AsTask();
        using var peer = await Node.Within(fake.AcceptSocketAsync());
        var reply = new ArrayBufferWriter<byte>();
        ClusterFrames.WriteResponse(reply, 777, true, SkynetPack.Pack("forged"));
        await peer.SendAsync(reply.WrittenMemory, SocketFlags.None);
        var ex = await Assert.ThrowsAsync<CallFailedException>(() => Node.Within(call));
        Assert.Equal(CallFailure.NodeDown, ex.Failure);
        await client.Logs.WaitFor("sent bad data, closing the connection");
    }

    [Fact]
    public async Task A_server_announcing_a_huge_reply_is_cut_off()
    {
        await using var client = new Node("client");
        using var fake = new TcpListener(IPAddress.Loopback, 0);
        fake.Start();
        client.Cluster.Options.MaxMessageSize = 1 << 20;
        await Node.Within(client.Cluster.Reload(ClusterCallTests.Map(("fake", $"127.0.0.1:{((IPEndPoint)fake.LocalEndpoint).Port}"))));
        var call = client.Cluster.Call("fake", "@x", "GET").AsTask();
        using var peer = await Node.Within(fake.AcceptSocketAsync());
        var begin = new byte[11];
        BinaryPrimitives.WriteUInt16BigEndian(begin, 9);
        BinaryPrimitives.WriteUInt32LittleEndian(begin.AsSpan(2), 1);
        begin[6] = ClusterFrames.ResponseBegin;
        BinaryPrimitives.WriteUInt32LittleEndian(begin.AsSpan(7), 0x7FFFFFF0);
        await peer.SendAsync(begin.AsMemory(), SocketFlags.None);
        var ex = await Assert.ThrowsAsync<CallFailedException>(() => Node.Within(call));
        Assert.Equal(CallFailure.NodeDown, ex.Failure);
    }

    async Task<Socket> Connect()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await Node.Within(socket.ConnectAsync(IPAddress.Loopback, _port));
        return socket;
    }

    static async Task AssertClosed(Socket socket, string why)
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(Node.Patience);
        while (true)
        {
            int n;
            try { n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token); }
            catch (SocketException) { return; } // reset: closed
            catch (OperationCanceledException) { Assert.Fail($"{why}: the node kept the connection open"); return; }
            if (n == 0) return;
        }
    }

    static Task Drain(Socket socket) => AssertClosed(socket, "drain");

    async Task AssertServes()
    {
        await using var client = new Node("client");
        await Node.Within(client.Cluster.Reload(ClusterCallTests.Map(("db", $"127.0.0.1:{_port}"))));
        Assert.Equal("still here", await Node.Within(client.Cluster.Call("db", "@echo", "still here")));
    }
}
