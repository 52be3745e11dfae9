using System.Net;
using System.Net.Sockets;
using System.Text;
using Skynet.Net;
using Skynet.Runtime.Tests.TestSupport;
using Xunit;

namespace Skynet.Runtime.Tests.Net;

public sealed class SocketCloseAndUdpTests
{
    static TaskCompletionSource<T> Latch<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Fact]
    public async Task UdpConnect_then_Write_sends_datagrams_to_the_connected_peer()
    {
        await using var t = new TestNode();
        using var peer = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var peerPort = ((IPEndPoint)peer.Client.LocalEndPoint!).Port;
        var replies = Latch<string>();
        var ready = Latch<bool>();
        await t.Spawn((self, _) =>
        {
            var id = self.Sockets.Udp((data, _) => replies.TrySetResult(Encoding.UTF8.GetString(data)), "127.0.0.1", 0);
            self.Sockets.UdpConnect(id, "127.0.0.1", peerPort);
            ready.SetResult(self.Sockets.Write(id, "first") && self.Sockets.Write(id, Encoding.UTF8.GetBytes("second")));
            return default;
        });
        Assert.True(await TestNode.Within(ready.Task));
        var first = await TestNode.Within(peer.ReceiveAsync());
        var second = await TestNode.Within(peer.ReceiveAsync());
        Assert.Equal("first", Encoding.UTF8.GetString(first.Buffer));
        Assert.Equal("second", Encoding.UTF8.GetString(second.Buffer));
        await peer.SendAsync(Encoding.UTF8.GetBytes("back"), first.RemoteEndPoint);
        Assert.Equal("back", await TestNode.Within(replies.Task));
    }

    [Fact]
    public async Task OnClose_runs_when_the_peer_hangs_up_and_after_an_own_Close()
    {
        await using var t = new TestNode();
        var closedByPeer = Latch<int>();
        var closedHere = Latch<int>();
        var fds = new List<int>();
        var port = Latch<int>();
        await t.Spawn((self, _) =>
        {
            var listen = self.Sockets.Listen("127.0.0.1", 0);
            self.Sockets.Start(listen, (fd, _) =>
            {
                self.Sockets.Start(fd);
                fds.Add(fd);
                if (fds.Count == 1)
                {
                    self.Sockets.OnClose(fd, id => closedByPeer.TrySetResult(id));
                }
                else
                {
                    self.Sockets.OnClose(fd, id => closedHere.TrySetResult(id));
                    self.Sockets.Write(fd, "bye");
                    self.Sockets.Close(fd); // the callback still runs, once the connection has ended
                }
            });
            port.SetResult(self.Sockets.LocalEndPoint(listen)!.Port);
            return default;
        });
        var p = await TestNode.Within(port.Task);
        using (var first = await TcpTestClient.Connect(p))
        {
            await first.Send("x");
        }
        var firstFd = await TestNode.Within(closedByPeer.Task);
        using var second = await TcpTestClient.Connect(p);
        Assert.Equal("bye", Encoding.UTF8.GetString(await second.ReadToEnd()));
        var secondFd = await TestNode.Within(closedHere.Task);
        Assert.NotEqual(firstFd, secondFd);
    }

    [Fact]
    public async Task OnClose_runs_once_when_the_peer_hangs_up_and_the_service_then_closes()
    {
        await using var t = new TestNode();
        var calls = 0;
        var done = Latch<int>();
        var port = Latch<int>();
        await t.Spawn((self, _) =>
        {
            var listen = self.Sockets.Listen("127.0.0.1", 0);
            self.Sockets.Start(listen, (fd, _) =>
            {
                self.Sockets.Start(fd);
                self.Sockets.OnClose(fd, _ => calls++);
                self.Fork(async () =>
                {
                    await self.Sockets.ReadAll(fd); // the peer hangs up: OnClose has run
                    self.Sockets.Close(fd); // the usual clean-up after a closed read must not run it again
                    done.SetResult(calls);
                });
            });
            port.SetResult(self.Sockets.LocalEndPoint(listen)!.Port);
            return default;
        });
        using (var client = await TcpTestClient.Connect(await TestNode.Within(port.Task)))
        {
            await client.Send("x");
        }
        Assert.Equal(1, await TestNode.Within(done.Task)); // skynet clears socket_onclose[id] after the call
    }

    [Fact]
    public async Task Close_is_forced_when_a_peer_never_reads_the_pending_output()
    {
        await using var t = new TestNode();
        var server = SocketServer.For(t.Node);
        server.FlushTimeout = TimeSpan.FromMilliseconds(300);
        var closed = Latch<int>();
        var port = Latch<int>();
        await t.Spawn((self, _) =>
        {
            var listen = self.Sockets.Listen("127.0.0.1", 0);
            self.Sockets.Start(listen, (fd, _) =>
            {
                self.Sockets.Start(fd);
                self.Sockets.OnClose(fd, id => closed.TrySetResult(id));
                for (var i = 0; i < 16; i++) self.Sockets.Write(fd, new byte[1024 * 1024]); // far more than the kernel buffers hold
                self.Sockets.Close(fd); // cannot flush: the peer never reads
            });
            port.SetResult(self.Sockets.LocalEndPoint(listen)!.Port);
            return default;
        });
        using var lazy = await TcpTestClient.Connect(await TestNode.Within(port.Task), receiveBuffer: 4096);
        var fd = await TestNode.Within(closed.Task);
        Assert.False(server.Exists(fd));
        Assert.Equal(1, server.Count); // only the listener
    }

    [Fact]
    public async Task The_flush_timeout_runs_on_the_node_s_clock()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        await using var t = new TestNode(configure: o => o.TimeProvider = clock);
        var server = SocketServer.For(t.Node);
        server.FlushTimeout = TimeSpan.FromMinutes(5); // on a real clock this test would wait five minutes
        var closeRequested = Latch<bool>();
        var closed = Latch<int>();
        var port = Latch<int>();
        await t.Spawn((self, _) =>
        {
            var listen = self.Sockets.Listen("127.0.0.1", 0);
            self.Sockets.Start(listen, (fd, _) =>
            {
                self.Sockets.Start(fd);
                self.Sockets.OnClose(fd, id => closed.TrySetResult(id));
                for (var i = 0; i < 16; i++) self.Sockets.Write(fd, new byte[1024 * 1024]); // far more than the kernel buffers hold
                self.Sockets.Close(fd); // cannot flush: the peer never reads
                closeRequested.SetResult(true);
            });
            port.SetResult(self.Sockets.LocalEndPoint(listen)!.Port);
            return default;
        });
        using var lazy = await TcpTestClient.Connect(await TestNode.Within(port.Task), receiveBuffer: 4096);
        await TestNode.Within(closeRequested.Task);
        Assert.False(closed.Task.IsCompleted);
        clock.Advance(TimeSpan.FromMinutes(5));
        var fd = await TestNode.Within(closed.Task);
        Assert.False(server.Exists(fd));
    }
}
