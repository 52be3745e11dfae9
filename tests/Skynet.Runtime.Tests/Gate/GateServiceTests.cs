using System.Text;
using Microsoft.Extensions.Configuration;
using Skynet.Gate;
using Skynet.Net;
using Skynet.Runtime.Tests.Net;
using Skynet.Runtime.Tests.TestSupport;
using Xunit;

namespace Skynet.Runtime.Tests.Gate;

[Collection(ProcessHeapCollection.Name)]
public sealed class GateServiceTests
{
    static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    static async Task AssertEchoes(TcpTestClient client, string text)
    {
        await client.SendFrame(Bytes(text));
        Assert.Equal(text, Encoding.UTF8.GetString(await client.ReadFrame()));
    }

    /// <summary>Connects and waits until the gate has forwarded the client to the agent.</summary>
    static async Task<TcpTestClient> Connected(GateHarness h)
    {
        var client = await TcpTestClient.Connect(h.Port);
        await AssertEchoes(client, "ready");
        return client;
    }

    [Fact]
    public async Task Frames_split_coalesced_and_empty_all_echo()
    {
        await using var h = await GateHarness.Start();
        using var client = await Connected(h);

        // Many frames in one write, a zero-length one among them.
        var batch = new MemoryStream();
        foreach (var text in new[] { "abc", "", new string('x', 3000), "z" }) batch.Write(NetPack.Pack(Bytes(text)));
        await client.Send(batch.ToArray());
        Assert.Equal("abc", Encoding.UTF8.GetString(await client.ReadFrame()));
        Assert.Empty(await client.ReadFrame());
        Assert.Equal(3000, (await client.ReadFrame()).Length);
        Assert.Equal("z", Encoding.UTF8.GetString(await client.ReadFrame()));

        // A header split after its first byte, then the rest with the next frame's first byte.
        var two = NetPack.Pack(Bytes("split")).Concat(NetPack.Pack(Bytes("next"))).ToArray();
        await client.Send(two[..1]);
        await client.Send(two[1..8]);
        await client.Send(two[8..]);
        Assert.Equal("split", Encoding.UTF8.GetString(await client.ReadFrame()));
        Assert.Equal("next", Encoding.UTF8.GetString(await client.ReadFrame()));
    }

    [Fact]
    public async Task Random_bytes_from_many_clients_leave_the_node_serving()
    {
        await using var h = await GateHarness.Start(options => options.MaxFrameLength = 4096);
        using var other = await Connected(h);
        var random = new Random(6455);
        var clients = new List<TcpTestClient>();
        for (var i = 0; i < 20; i++)
        {
            var client = await Connected(h);
            var junk = new byte[random.Next(1, 8192)];
            random.NextBytes(junk);
            await client.Send(junk);
            if (i % 2 == 0) client.Reset();
            else client.Dispose();
        }
        await Eventually.True(() => h.Ended() == 20, "every junk client is gone");
        await AssertEchoes(other, "unaffected");
        Assert.Equal(2, SocketServer.For(h.T.Node).Count);
    }

    [Fact]
    public async Task A_slow_sender_one_byte_at_a_time_is_framed_correctly()
    {
        await using var h = await GateHarness.Start();
        using var client = await Connected(h);
        var frames = Enumerable.Range(0, 10).Select(i => $"frame {i}").ToArray();
        foreach (var b in frames.SelectMany(f => NetPack.Pack(Bytes(f)))) await client.Send([b]);
        foreach (var f in frames) Assert.Equal(f, Encoding.UTF8.GetString(await client.ReadFrame()));
    }

    [Fact]
    public async Task An_oversized_length_is_an_error_for_that_client_only()
    {
        // The limit comes from configuration, as a host would bind it.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gate:MaxFrameLength"] = "16",
            ["Gate:MaxClient"] = "10",
        }).Build();
        await using var h = await GateHarness.Start(options => configuration.GetSection("Gate").Bind(options));
        Assert.Equal(16, h.Options.MaxFrameLength);
        using var good = await Connected(h);
        using var bad = await Connected(h);
        await bad.Send([0x01, 0x00, 1, 2, 3]); // announces 256 bytes
        Assert.Empty(await bad.ReadToEnd());
        await h.WaitFor("error");
        Assert.Contains(h.Events, e => e.Kind == "error" && ((string)e.Detail!).Contains("exceeds the limit of 16"));
        await AssertEchoes(good, "still here");
        await good.Send(NetPack.Pack(new byte[16])); // exactly the limit is fine
        Assert.Equal(16, (await good.ReadFrame()).Length);
    }

    [Fact]
    public async Task A_truncated_frame_then_hang_up_delivers_nothing_and_disconnects()
    {
        await using var h = await GateHarness.Start();
        using var other = await Connected(h);
        var echoed = h.Echoed;
        var closesBefore = h.Count("close");
        using (var client = await Connected(h))
        {
            await client.Send([0x00, 0x64, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]); // 100 announced, 10 sent
        }
        await h.WaitCount("close", closesBefore + 1);
        Assert.Equal(echoed + 1, h.Echoed); // only the "ready" frame of the truncated client
        await AssertEchoes(other, "unaffected");
    }

    [Fact]
    public async Task Sudden_resets_leave_the_gate_and_other_clients_running()
    {
        await using var h = await GateHarness.Start();
        using var other = await Connected(h);
        var server = SocketServer.For(h.T.Node);
        for (var i = 0; i < 20; i++)
        {
            var client = await Connected(h);
            await client.Send([0x00, 0x10, 1, 2]); // a partial frame in flight
            client.Reset();
        }
        await Eventually.True(() => h.Ended() == 20, "every reset client is reported");
        await AssertEchoes(other, "unaffected");
        await Eventually.True(() => server.Count == 2, "only the listener and the other client remain");
    }

    [Fact]
    public async Task A_client_that_never_reads_is_warned_then_closed()
    {
        await using var h = await GateHarness.Start(options => options.MaxWriteBuffer = 4 * 1024 * 1024);
        using var other = await Connected(h);
        using var lazy = await TcpTestClient.Connect(h.Port, receiveBuffer: 4096);
        var frame = NetPack.Pack(new byte[60_000]);
        using var stop = new CancellationTokenSource();
        var flood = Task.Run(async () =>
        {
            try
            {
                while (!stop.IsCancellationRequested) await lazy.Socket.SendAsync(frame, System.Net.Sockets.SocketFlags.None, stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or System.Net.Sockets.SocketException) { }
        });
        await h.WaitFor("warning");
        await h.WaitFor("error");
        stop.Cancel();
        await TestNode.Within(flood);
        Assert.Contains(h.Events, e => e.Kind == "error" && ((string)e.Detail!).Contains("write buffer overflow"));
        await AssertEchoes(other, "unaffected");
    }

    [Fact]
    public async Task MaxClient_closes_extra_connections()
    {
        await using var h = await GateHarness.Start(options => options.MaxClient = 2);
        var first = await Connected(h);
        using var second = await Connected(h);
        using (var third = await TcpTestClient.Connect(h.Port))
        {
            Assert.Empty(await third.ReadToEnd()); // closed by the gate at once
        }
        Assert.Equal(2, h.Count("open"));
        first.Dispose();
        await h.WaitCount("close", 1);
        using var fourth = await Connected(h);
        Assert.Equal(3, h.Count("open"));
    }

    [Fact]
    public async Task Kick_closes_a_client_after_its_pending_output()
    {
        await using var h = await GateHarness.Start();
        using var client = await Connected(h);
        var fd = h.Events.Single(e => e.Kind == "open").Fd;
        await TestNode.Within(h.T.Node.Call(h.Gate, "kick", fd));
        Assert.Empty(await client.ReadToEnd());
        await h.WaitFor("close", fd);
    }

    [Fact]
    public async Task Ten_thousand_connect_disconnect_cycles_leak_no_sockets()
    {
        await using var h = await GateHarness.Start(options => options.MaxClient = 4096);
        var server = SocketServer.For(h.T.Node);
        var baseline = server.Count;
        const int Cycles = 10_000, Concurrency = 16;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        var next = 0;
        var workers = Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= Cycles)
            {
                using var client = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                await client.ConnectAsync(System.Net.IPAddress.Loopback, h.Port);
            }
        }));
        await TestNode.Within(Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60)));
        await TestNode.Within(h.WaitCount("close", Cycles));
        Assert.Equal(Cycles, h.Count("open"));
        await Eventually.True(() => server.Count == baseline, "the socket count returns to the baseline");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var grown = GC.GetTotalMemory(forceFullCollection: true) - memoryBefore;
        Assert.True(grown < 16 * 1024 * 1024, $"managed memory grew by {grown} bytes over {Cycles} cycles");
        using var last = await Connected(h);
        await AssertEchoes(last, "still serving");
    }

    [Fact]
    public async Task Accept_without_an_agent_sends_frames_to_the_watchdog()
    {
        await using var h = await GateHarness.Start(forward: false);
        using var client = await TcpTestClient.Connect(h.Port);
        await h.WaitFor("open");
        var fd = h.Events.Single(e => e.Kind == "open").Fd;
        await TestNode.Within(h.T.Node.Call(h.Gate, "accept", fd));
        await client.SendFrame(Bytes("to the watchdog"));
        await h.WaitFor("data", fd);
        Assert.Equal("to the watchdog", Encoding.UTF8.GetString((byte[])h.Events.Single(e => e.Kind == "data").Detail!));
    }
}
