using System.Net;
using System.Net.Sockets;
using System.Text;
using Skynet.Net;
using Skynet.Runtime.Tests.TestSupport;
using Xunit;

namespace Skynet.Runtime.Tests.Net;

public sealed class SocketApiTests
{
    static TaskCompletionSource<T> Latch<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Starts a service listening on 127.0.0.1:0 that runs <paramref name="session"/> for every accepted connection.</summary>
    static async Task<int> Serve(TestNode t, Func<TestService, int, ValueTask> session)
    {
        var port = Latch<int>();
        await t.Spawn((self, _) =>
        {
            var sockets = self.Sockets;
            var listen = sockets.Listen("127.0.0.1", 0);
            sockets.Start(listen, (fd, _) =>
            {
                Assert.True(sockets.Start(fd));
                self.Fork(() => session(self, fd));
            });
            port.SetResult(sockets.LocalEndPoint(listen)!.Port);
            return default;
        });
        return await TestNode.Within(port.Task);
    }

    [Fact]
    public async Task ReadLine_and_Write_echo_lines()
    {
        await using var t = new TestNode();
        var port = await Serve(t, async (self, fd) =>
        {
            while (true)
            {
                var line = await self.Sockets.ReadLine(fd);
                if (line.IsClosed) { self.Sockets.Close(fd); return; }
                self.Sockets.Write(fd, line.Text.ToUpperInvariant() + "\n");
            }
        });
        using var client = await TcpTestClient.Connect(port);
        await client.Send("hello\nwor");
        await client.Send("ld\n");
        Assert.Equal("HELLO\nWORLD\n", Encoding.UTF8.GetString(await client.ReadExactly(12)));
    }

    [Fact]
    public async Task Read_returns_partial_data_and_the_closed_flag_when_the_peer_closes()
    {
        await using var t = new TestNode();
        var result = Latch<(SocketReadResult First, SocketReadResult Second, SocketReadResult Third)>();
        var port = await Serve(t, async (self, fd) =>
        {
            var first = await self.Sockets.Read(fd, 3);
            var second = await self.Sockets.Read(fd, 10);
            var third = await self.Sockets.Read(fd);
            self.Sockets.Close(fd);
            result.SetResult((first, second, third));
        });
        using (var client = await TcpTestClient.Connect(port))
        {
            await client.Send("abcdefg");
        }
        var (a, b, c) = await TestNode.Within(result.Task);
        Assert.Equal(("abc", false), (a.Text, a.IsClosed));
        Assert.Equal(("defg", true), (b.Text, b.IsClosed));
        Assert.Equal(("", true), (c.Text, c.IsClosed));
    }

    [Fact]
    public async Task ReadAll_reads_until_the_peer_closes()
    {
        await using var t = new TestNode();
        var result = Latch<string>();
        var port = await Serve(t, async (self, fd) =>
        {
            var all = await self.Sockets.ReadAll(fd);
            self.Sockets.Close(fd);
            result.SetResult(Encoding.UTF8.GetString(all));
        });
        using (var client = await TcpTestClient.Connect(port))
        {
            await client.Send("one ");
            await client.Send("two ");
            await client.Send("three");
        }
        Assert.Equal("one two three", await TestNode.Within(result.Task));
    }

    [Fact]
    public async Task Close_wakes_a_blocked_reader_first()
    {
        await using var t = new TestNode();
        var reading = Latch<Address>();
        var result = Latch<(SocketReadResult First, SocketReadResult Blocked)>();
        var port = await Serve(t, async (self, fd) =>
        {
            self.Dispatch(PType.Lua, _ => { self.Sockets.Close(fd); return default; });
            var first = await self.Sockets.Read(fd, 5);
            reading.SetResult(self.Self);
            var blocked = await self.Sockets.Read(fd, 100); // suspends until Close wakes it
            result.SetResult((first, blocked));
        });
        using var client = await TcpTestClient.Connect(port);
        await client.Send("12345");
        t.Node.Send(await TestNode.Within(reading.Task), "close");
        var (first, blocked) = await TestNode.Within(result.Task);
        Assert.Equal(("12345", false), (first.Text, first.IsClosed));
        Assert.Equal(("", true), (blocked.Text, blocked.IsClosed));
        Assert.Empty(await client.ReadToEnd());
    }

    [Fact]
    public async Task Open_connects_a_service_to_a_server_and_ids_are_node_wide()
    {
        await using var t = new TestNode();
        var port = await Serve(t, async (self, fd) =>
        {
            var request = await self.Sockets.Read(fd, 4);
            self.Sockets.Write(fd, "got " + request.Text);
            self.Sockets.Close(fd);
        });
        var reply = await t.Inside(async self =>
        {
            var id = await self.Sockets.Open("127.0.0.1", port);
            Assert.True(self.Sockets.IsConnected(id));
            self.Sockets.Write(id, "ping");
            return Encoding.UTF8.GetString(await self.Sockets.ReadAll(id));
        });
        Assert.Equal("got ping", reply);
    }

    [Fact]
    public async Task Open_to_a_closed_port_throws_IOException()
    {
        await using var t = new TestNode();
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }
        var error = await t.Inside(async self =>
        {
            try { await self.Sockets.Open("127.0.0.1", port); return ""; }
            catch (IOException ex) { return ex.Message; }
        });
        Assert.Contains($"127.0.0.1:{port}", error);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(65536)]
    public async Task Open_refuses_a_port_out_of_range(int port)
    {
        await using var t = new TestNode();
        var error = await t.Inside(async self => await Record.ExceptionAsync(async () => await self.Sockets.Open("127.0.0.1", port)));
        Assert.IsType<ArgumentOutOfRangeException>(error);
    }

    [Fact]
    public async Task LWrite_goes_out_after_the_normal_queue_and_whole()
    {
        await using var t = new TestNode();
        var low = new string('L', 100_000);
        var high = new byte[8 * 1024 * 1024]; // more than the kernel takes at once, so the rest waits in the queue
        Array.Fill(high, (byte)'A');
        var port = await Serve(t, (self, fd) =>
        {
            self.Sockets.Write(fd, high);
            self.Sockets.LWrite(fd, low);
            self.Sockets.Write(fd, "B");
            self.Sockets.Close(fd);
            return default;
        });
        using var client = await TcpTestClient.Connect(port, receiveBuffer: 4096);
        var all = Encoding.UTF8.GetString(await client.ReadToEnd());
        Assert.Equal(high.Length + 1 + low.Length, all.Length);
        Assert.Equal("AB" + low, all[(high.Length - 1)..]);
    }

    [Fact]
    public async Task Warning_reports_a_backlog_over_one_megabyte()
    {
        await using var t = new TestNode();
        var warned = Latch<int>();
        var port = await Serve(t, (self, fd) =>
        {
            self.Sockets.Warning(fd, (_, size) => { if (size > 0) warned.TrySetResult(size); });
            for (var i = 0; i < 16; i++) self.Sockets.Write(fd, new byte[1024 * 1024]); // 16 MiB: more than any kernel buffer takes
            return default;
        });
        using var client = await TcpTestClient.Connect(port, receiveBuffer: 4096);
        Assert.True(await TestNode.Within(warned.Task) > 1024);
    }

    [Fact]
    public async Task Default_warning_logs_a_line()
    {
        await using var t = new TestNode();
        var port = await Serve(t, (self, fd) =>
        {
            for (var i = 0; i < 16; i++) self.Sockets.Write(fd, new byte[1024 * 1024]);
            return default;
        });
        using var client = await TcpTestClient.Connect(port, receiveBuffer: 4096);
        Assert.Contains("K bytes need to send out", await TestNode.Within(t.Logs.WaitFor("need to send out")));
    }

    [Fact]
    public async Task Limit_closes_a_socket_whose_unread_input_passes_it()
    {
        await using var t = new TestNode();
        var port = await Serve(t, (self, fd) =>
        {
            self.Sockets.Limit(fd, 1000); // and never read
            return default;
        });
        using var client = await TcpTestClient.Connect(port);
        await client.Send(new byte[5000]);
        await TestNode.Within(t.Logs.WaitFor("exceeds its buffer limit"));
        Assert.Empty(await client.ReadToEnd());
    }

    [Fact]
    public async Task An_accepted_socket_id_is_started_by_another_service()
    {
        await using var t = new TestNode();
        var worker = await t.SpawnHandler(async (self, message) =>
        {
            var fd = message.Arg<int>(0);
            Assert.True(self.Sockets.Start(fd));
            var line = await self.Sockets.ReadLine(fd);
            self.Sockets.Write(fd, $"{self.Self} read {line.Text}\n");
            self.Sockets.Close(fd);
        });
        var listening = Latch<int>();
        await t.Spawn((self, _) =>
        {
            var listen = self.Sockets.Listen("127.0.0.1", 0);
            // Not started here: the worker starts it, so no byte is read by this service.
            self.Sockets.Start(listen, (fd, _) => self.Send(worker, fd));
            listening.SetResult(self.Sockets.LocalEndPoint(listen)!.Port);
            return default;
        });
        var port = await TestNode.Within(listening.Task);
        using var client = await TcpTestClient.Connect(port);
        await client.Send("handed over\n");
        Assert.Equal($"{worker} read handed over\n", Encoding.UTF8.GetString(await client.ReadToEnd()));
    }

    [Fact]
    public async Task Abandon_pauses_reading_until_the_new_owner_starts()
    {
        await using var t = new TestNode();
        var worker = await t.SpawnHandler(async (self, message) =>
        {
            var fd = message.Arg<int>(0);
            Assert.True(self.Sockets.Start(fd));
            var line = await self.Sockets.ReadLine(fd);
            self.Sockets.Write(fd, $"second {line.Text}\n");
            self.Sockets.Close(fd);
        });
        var port = await Serve(t, async (self, fd) =>
        {
            var line = await self.Sockets.ReadLine(fd);
            self.Sockets.Abandon(fd); // before replying, so the client's next line is not read here
            self.Sockets.Write(fd, $"first {line.Text}\n");
            self.Send(worker, fd);
        });
        using var client = await TcpTestClient.Connect(port);
        await client.Send("one\n");
        Assert.Equal("first one\n", Encoding.UTF8.GetString(await client.ReadExactly(10)));
        await client.Send("two\n");
        Assert.Equal("second two\n", Encoding.UTF8.GetString(await client.ReadToEnd()));
    }

    [Fact]
    public async Task Start_on_a_socket_already_managed_throws_and_keeps_its_blocked_reader()
    {
        await using var t = new TestNode();
        var second = Latch<Exception?>();
        var port = await Serve(t, async (self, fd) =>
        {
            self.Fork(() =>
            {
                Exception? error = null;
                try { self.Sockets.Start(fd); }
                catch (InvalidOperationException ex) { error = ex; }
                second.SetResult(error); // skynet: "socket is not closed"
                return default;
            });
            var line = await self.Sockets.ReadLine(fd); // must still be woken by the data
            self.Sockets.Write(fd, $"got {line.Text}\n");
            self.Sockets.Close(fd);
        });
        using var client = await TcpTestClient.Connect(port);
        Assert.IsType<InvalidOperationException>(await TestNode.Within(second.Task));
        await client.Send("hi\n");
        Assert.Equal("got hi\n", Encoding.UTF8.GetString(await client.ReadToEnd()));
    }

    [Fact]
    public async Task Udp_receives_and_sends_datagrams()
    {
        await using var t = new TestNode();
        var port = Latch<int>();
        await t.Spawn((self, _) =>
        {
            var id = 0;
            id = self.Sockets.Udp((data, from) => self.Sockets.SendTo(id, from, Encoding.UTF8.GetBytes("echo " + Encoding.UTF8.GetString(data))), "127.0.0.1", 0);
            port.SetResult(self.Sockets.LocalEndPoint(id)!.Port);
            return default;
        });
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await udp.SendAsync(Encoding.UTF8.GetBytes("hi"), new IPEndPoint(IPAddress.Loopback, await TestNode.Within(port.Task)));
        var reply = await TestNode.Within(udp.ReceiveAsync());
        Assert.Equal("echo hi", Encoding.UTF8.GetString(reply.Buffer));
    }

    [Fact]
    public async Task Resolve_finds_localhost_without_blocking_the_service()
    {
        await using var t = new TestNode();
        var addresses = await t.Inside(async self => await self.Sockets.Resolve("localhost"));
        Assert.Contains(addresses, IPAddress.IsLoopback);
    }

    [Fact]
    public async Task Sockets_of_a_dead_service_are_closed()
    {
        await using var t = new TestNode();
        var server = SocketServer.For(t.Node);
        var baseline = server.Count;
        var owner = Latch<Address>();
        var port = await Serve(t, (self, fd) => { owner.TrySetResult(self.Self); return default; });
        using var client = await TcpTestClient.Connect(port);
        var address = await TestNode.Within(owner.Task);
        Assert.Equal(baseline + 2, server.Count);
        t.Node.Kill(address);
        Assert.Empty(await client.ReadToEnd());
        await Eventually.True(() => server.Count == baseline, "the listener and the connection are closed");
    }
}
