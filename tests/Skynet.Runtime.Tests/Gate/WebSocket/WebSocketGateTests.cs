using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Configuration;
using Skynet.Gate.WebSocket;
using Skynet.Net;
using Skynet.Runtime.Tests.Net;
using Skynet.Runtime.Tests.TestSupport;
using Xunit;

namespace Skynet.Runtime.Tests.Gate.WebSocket;

public sealed class WebSocketGateTests
{
    static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    static async Task<(WebSocketMessageType Type, byte[] Data)> Receive(ClientWebSocket client)
    {
        var all = new MemoryStream();
        var buffer = new byte[8192];
        while (true)
        {
            var result = await TestNode.Within(client.ReceiveAsync(buffer, CancellationToken.None));
            all.Write(buffer, 0, result.Count);
            if (result.EndOfMessage) return (result.MessageType, all.ToArray());
        }
    }

    static async Task AssertTextEcho(ClientWebSocket client, string text)
    {
        await TestNode.Within(client.SendAsync(Bytes(text), WebSocketMessageType.Text, true, CancellationToken.None));
        var (type, data) = await Receive(client);
        Assert.Equal(WebSocketMessageType.Text, type);
        Assert.Equal(text, Encoding.UTF8.GetString(data));
    }

    static async Task AssertEchoes(ClientWebSocket client)
    {
        await AssertTextEcho(client, "héllo wörld");
        var binary = Enumerable.Range(0, 70_000).Select(i => (byte)i).ToArray(); // 64-bit length form both ways
        await TestNode.Within(client.SendAsync(binary, WebSocketMessageType.Binary, true, CancellationToken.None));
        var (type, data) = await Receive(client);
        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.Equal(binary, data);

        // A fragmented text message whose fragments split a multi-byte character.
        var text = Bytes("fragmented ✓ message");
        var cut = Array.IndexOf(text, (byte)0xe2) + 1;
        await TestNode.Within(client.SendAsync(text.AsMemory(0, cut), WebSocketMessageType.Text, false, CancellationToken.None).AsTask());
        await TestNode.Within(client.SendAsync(text.AsMemory(cut), WebSocketMessageType.Text, true, CancellationToken.None).AsTask());
        Assert.Equal("fragmented ✓ message", Encoding.UTF8.GetString((await Receive(client)).Data));
    }

    static async Task CloseNormally(ClientWebSocket client)
    {
        await TestNode.Within(client.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None));
        Assert.Equal(WebSocketCloseStatus.NormalClosure, client.CloseStatus);
    }

    [Fact]
    public async Task ClientWebSocket_echoes_text_binary_and_fragments_over_ws()
    {
        await using var h = await WsGateHarness.Start();
        using var first = await h.Connect();
        using var second = await h.Connect("/room?x=1");
        await AssertEchoes(first);
        await AssertEchoes(second);
        await CloseNormally(first);
        await h.WaitFor("close");
        await AssertTextEcho(second, "still here");
    }

    [Fact]
    public async Task ClientWebSocket_echoes_over_wss_with_a_certificate_file_from_configuration()
    {
        using var certificate = new TestCertificate();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WebSocketGate:CertificateFile"] = certificate.Path,
            ["WebSocketGate:CertificatePassword"] = certificate.Password,
            ["WebSocketGate:Slaves"] = "2",
        }).Build();
        await using var h = await WsGateHarness.Start(options => configuration.GetSection("WebSocketGate").Bind(options));
        Assert.True(h.Options.IsSecure);
        Assert.Equal("wss", h.Uri().Scheme);
        using var first = await h.Connect();
        using var second = await h.Connect();
        await AssertEchoes(first);
        await AssertEchoes(second);
        await CloseNormally(first);
        await AssertTextEcho(second, "still secure");
    }

    [Fact]
    public async Task A_plain_client_on_a_wss_gate_fails_alone()
    {
        using var certificate = new TestCertificate();
        await using var h = await WsGateHarness.Start(options =>
        {
            options.CertificateFile = certificate.Path;
            options.CertificatePassword = certificate.Password;
        });
        using var good = await h.Connect();
        using (var plain = await TcpTestClient.Connect(h.Port))
        {
            await plain.Send(Bytes(WsRawClient.Upgrade)); // not a TLS ClientHello
            await plain.ReadToEnd();
        }
        await AssertTextEcho(good, "unaffected");
    }

    [Fact]
    public async Task The_master_spreads_connections_round_robin_over_its_slaves()
    {
        await using var h = await WsGateHarness.Start(options => options.Slaves = 4);
        var slaves = (Address[])(await TestNode.Within(h.T.Node.Call(h.Gate, "slaves")))!;
        Assert.Equal(4, slaves.Length);
        var clients = new List<ClientWebSocket>();
        for (var i = 0; i < 8; i++)
        {
            var client = await h.Connect();
            await AssertTextEcho(client, $"client {i}");
            clients.Add(client);
        }
        var opens = h.Events.Where(e => e.Kind == "open").ToArray();
        Assert.Equal(8, opens.Length);
        foreach (var slave in slaves) Assert.Equal(2, opens.Count(e => e.From == slave));

        // Commands sent to the master reach the owning slave; a call is answered by it.
        var request = (WebSocketUpgradeRequest)(await TestNode.Within(h.T.Node.Call(h.Gate, "request", opens[3].Fd)))!;
        Assert.Equal("/", request.Target);
        Assert.Equal(true, await TestNode.Within(h.T.Node.Call(h.Gate, "response", opens[3].Fd, "pushed")));
        Assert.Equal("pushed", Encoding.UTF8.GetString((await Receive(clients[3])).Data));
        foreach (var client in clients) client.Dispose();
    }

    [Fact]
    public async Task The_master_skips_a_dead_slave_instead_of_leaking_the_connection()
    {
        await using var h = await WsGateHarness.Start(options => options.Slaves = 2);
        var slaves = (Address[])(await TestNode.Within(h.T.Node.Call(h.Gate, "slaves")))!;
        h.T.Node.Kill(slaves[0]);
        await Eventually.True(() => h.T.Node.ListServices().All(s => s.Address != slaves[0]), "the slave is gone");
        using var first = await h.Connect(); // its turn is the dead slave's
        using var second = await h.Connect();
        await AssertTextEcho(first, "first");
        await AssertTextEcho(second, "second");
        Assert.All(h.Events.Where(e => e.Kind == "open"), e => Assert.Equal(slaves[1], e.From));
    }

    [Fact]
    public async Task A_standalone_gate_serves_the_same_contract()
    {
        await using var h = await WsGateHarness.Start(master: false);
        using var client = await h.Connect();
        await AssertEchoes(client);
        Assert.All(h.Events, e => Assert.Equal(h.Gate, e.From));
    }

    [Fact]
    public async Task Ping_is_answered_with_pong_and_kick_sends_close_1000()
    {
        await using var h = await WsGateHarness.Start();
        using var client = await WsRawClient.Connect(h.Port);
        await client.SendText("ready");
        Assert.Equal("ready", await client.ReadText());
        await client.Send(WebSocketOpcode.Ping, Bytes("are you there"));
        var pong = await client.ReadFrame();
        Assert.Equal(WebSocketOpcode.Pong, pong.Opcode);
        Assert.Equal("are you there", Encoding.UTF8.GetString(pong.Payload));
        await client.Send(WebSocketOpcode.Pong, Bytes("unsolicited")); // ignored
        var fd = h.Events.Single(e => e.Kind == "open").Fd;
        h.T.Node.Send(h.Gate, "kick", fd);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, (await client.ReadClose()).Status);
        await h.WaitFor("close", fd);
    }

    [Fact]
    public async Task A_client_close_is_echoed_then_the_connection_ends()
    {
        await using var h = await WsGateHarness.Start();
        using var client = await WsRawClient.Connect(h.Port);
        await client.Send(WebSocketOpcode.Close, [0x03, 0xe9, .. Bytes("going")]); // 1001
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, (await client.ReadClose()).Status);
        await h.WaitFor("close");

        using var empty = await WsRawClient.Connect(h.Port);
        await empty.Send(WebSocketOpcode.Close, []);
        Assert.Null((await empty.ReadClose()).Status); // no code in, no code out
    }

    [Fact]
    public async Task Frames_sent_right_behind_the_upgrade_request_are_not_lost()
    {
        await using var h = await WsGateHarness.Start();
        var early = WebSocketTestFrames.Concat(WebSocketTestFrames.Client(WebSocketOpcode.Text, Bytes("early one")), WebSocketTestFrames.Client(WebSocketOpcode.Text, Bytes("early two")));
        using var client = await WsRawClient.Connect(h.Port, after: early);
        Assert.Equal("early one", await client.ReadText());
        Assert.Equal("early two", await client.ReadText());
    }

    public static TheoryData<string, byte[], int> Violations => new()
    {
        { "unmasked frame", [0x81, 0x02, (byte)'h', (byte)'i'], 1002 },
        { "reserved opcode", WebSocketTestFrames.Raw(0x83, Bytes("x")), 1002 },
        { "reserved bit", WebSocketTestFrames.Raw(0xc1, Bytes("x")), 1002 },
        { "fragmented ping", WebSocketTestFrames.Raw(0x09, Bytes("x")), 1002 },
        { "oversized ping", WebSocketTestFrames.Raw(0x89, new byte[126], [0, 126]), 1002 },
        { "orphan continuation", WebSocketTestFrames.Raw(0x80, Bytes("x")), 1002 },
        { "invalid UTF-8 text", WebSocketTestFrames.Raw(0x81, [0xc3, 0x28]), 1007 },
        { "message over the configured limit", WebSocketTestFrames.Raw(0x82, new byte[2000], [0x07, 0xd0]), 1009 },
        { "bad close code", WebSocketTestFrames.Raw(0x88, [0x03, 0xec]), 1002 },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task A_protocol_violation_closes_that_client_with_the_RFC_code_only(string what, byte[] frame, int code)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gate:MaxMessageLength"] = "1024",
        }).Build();
        await using var h = await WsGateHarness.Start(options => configuration.GetSection("Gate").Bind(options));
        Assert.Equal(1024, h.Options.MaxMessageLength);
        using var good = await h.Connect();
        using var bad = await WsRawClient.Connect(h.Port);
        await bad.SendText("ok so far");
        Assert.Equal("ok so far", await bad.ReadText());
        await bad.Tcp.Send(frame);
        var (status, _) = await bad.ReadClose();
        Assert.True(code == (int?)status, $"{what}: expected {code}, got {(int?)status}");
        await h.WaitFor("error");
        Assert.Contains(h.Events, e => e.Kind == "error" && ((string)e.Detail!).StartsWith(code.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        await AssertTextEcho(good, "unaffected");
    }

    [Fact]
    public async Task A_bad_upgrade_request_gets_an_HTTP_error_and_no_notice()
    {
        await using var h = await WsGateHarness.Start();
        using var client = await TcpTestClient.Connect(h.Port);
        await client.Send(Bytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        var response = Encoding.ASCII.GetString(await client.ReadToEnd());
        Assert.StartsWith("HTTP/1.1 426", response);
        using var good = await h.Connect();
        await AssertTextEcho(good, "fine");
        Assert.Single(h.Events, e => e.Kind == "open");
    }

    [Fact]
    public async Task Random_bytes_from_many_clients_leave_the_node_and_other_clients_running()
    {
        await using var h = await WsGateHarness.Start(options => options.MaxMessageLength = 4096);
        using var other = await h.Connect();
        var random = new Random(6455);
        for (var i = 0; i < 24; i++)
        {
            var junk = new byte[random.Next(1, 9000)];
            random.NextBytes(junk);
            if (i % 3 == 0)
            {
                // junk instead of an upgrade request
                using var raw = await TcpTestClient.Connect(h.Port);
                await raw.Send(junk);
                if (i % 2 == 0) raw.Reset();
            }
            else
            {
                // junk after a valid upgrade: the frame decoder gets it
                var client = await WsRawClient.Connect(h.Port);
                await client.Tcp.Send(junk);
                if (i % 2 == 0) client.Tcp.Reset();
                else await client.Tcp.ReadToEnd();
                client.Dispose();
            }
        }
        await AssertTextEcho(other, "unaffected");
        await Eventually.True(() => SocketServer.For(h.T.Node).Count == 2, "only the listener and the good client remain");
        Assert.Equal(Enumerable.Range(0, 24).Count(i => i % 3 != 0), h.Ended());
    }

    [Fact]
    public async Task MaxClient_from_configuration_refuses_extra_connections()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gate:MaxClient"] = "2",
            ["Gate:Slaves"] = "2",
        }).Build();
        await using var h = await WsGateHarness.Start(options => configuration.GetSection("Gate").Bind(options));
        using var one = await h.Connect();
        using var two = await h.Connect();
        using (var three = await TcpTestClient.Connect(h.Port))
        {
            Assert.Empty(await three.ReadToEnd()); // closed at once
        }
        await CloseNormally(one);
        await h.WaitFor("close");
        using var four = await h.Connect(); // the slot is free again
        await AssertTextEcho(four, "in");
        await AssertTextEcho(two, "still in");
    }

    [Fact]
    public async Task A_client_that_never_reads_is_warned_then_closed()
    {
        await using var h = await WsGateHarness.Start(options => options.MaxWriteBuffer = 4 * 1024 * 1024);
        using var other = await h.Connect();
        using var lazy = await WsRawClient.Connect(h.Port, receiveBuffer: 4096);
        var frame = WebSocketTestFrames.Client(WebSocketOpcode.Binary, new byte[60_000]); // echoed by the agent, never read
        using var stop = new CancellationTokenSource();
        var flood = Task.Run(async () =>
        {
            try
            {
                while (!stop.IsCancellationRequested) await lazy.Tcp.Socket.SendAsync(frame, System.Net.Sockets.SocketFlags.None, stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or System.Net.Sockets.SocketException) { }
        });
        await h.WaitFor("warning");
        await h.WaitFor("error");
        stop.Cancel();
        await TestNode.Within(flood);
        Assert.Contains(h.Events, e => e.Kind == "error" && ((string)e.Detail!).Contains("write buffer overflow"));
        await AssertTextEcho(other, "unaffected");
    }

    [Fact]
    public async Task A_client_that_never_completes_its_handshake_is_dropped_after_the_timeout()
    {
        await using var h = await WsGateHarness.Start(options => options.HandshakeTimeout = TimeSpan.FromSeconds(2)); // the good client's upgrade runs under it too
        using var silent = await TcpTestClient.Connect(h.Port);
        await silent.Send(Bytes("GET / HTTP/1.1\r\n")); // and nothing more
        Assert.Empty(await silent.ReadToEnd());
        await TestNode.Within(h.T.Logs.WaitFor("did not complete its handshake"));
        using var good = await h.Connect();
        await AssertTextEcho(good, "fine");
    }

    [Fact]
    public async Task Accept_sends_messages_to_the_watchdog_and_response_answers()
    {
        await using var h = await WsGateHarness.Start(forward: false);
        using var client = await h.Connect();
        await h.WaitFor("open");
        var fd = h.Events.Single(e => e.Kind == "open").Fd;
        await TestNode.Within(h.T.Node.Call(h.Gate, "accept", fd));
        await TestNode.Within(client.SendAsync(Bytes("to the watchdog"), WebSocketMessageType.Binary, true, CancellationToken.None));
        await h.WaitFor("data", fd);
        Assert.Equal("to the watchdog", Encoding.UTF8.GetString((byte[])h.Events.Single(e => e.Kind == "data").Detail!));
        h.T.Node.Send(h.Gate, "response", fd, Bytes("binary back"));
        var (type, data) = await Receive(client);
        Assert.Equal(WebSocketMessageType.Binary, type);
        Assert.Equal("binary back", Encoding.UTF8.GetString(data));
    }
}
