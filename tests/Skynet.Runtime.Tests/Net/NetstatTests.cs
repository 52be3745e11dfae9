using Skynet.Net;
using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Net;

/// <summary><see cref="SocketApi.Netstat"/>: every socket with its kind, state, owner and traffic.</summary>
public sealed class NetstatTests
{
    [Fact]
    public async Task Netstat_lists_listeners_and_connections_with_their_bytes()
    {
        await using var t = new TestNode();
        var received = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var port = new TaskCompletionSource<(int Port, int Listen)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = await t.Spawn((self, _) =>
        {
            var listen = self.Sockets.Listen("127.0.0.1", 0);
            self.Sockets.Start(listen, (fd, _) =>
            {
                self.Sockets.Start(fd);
                self.Fork(async () =>
                {
                    var data = await self.Sockets.Read(fd, 5);
                    self.Sockets.Write(fd, data.Data);
                    received.TrySetResult(fd);
                });
            });
            port.SetResult((self.Sockets.LocalEndPoint(listen)!.Port, listen));
            return default;
        });
        var (p, listenId) = await TestNode.Within(port.Task);
        using var client = await TcpTestClient.Connect(p);
        await client.Send("hello");
        var fd = await TestNode.Within(received.Task);
        Assert.Equal("hello"u8.ToArray(), await client.ReadExactly(5));

        var table = await t.Inside(self => new ValueTask<IReadOnlyList<SocketInfo>>(self.Sockets.Netstat()));
        var listener = Assert.Single(table, s => s.Id == listenId);
        Assert.Equal((SocketKind.Listen, SocketState.Accepting, server), (listener.Kind, listener.State, listener.Owner));
        var connection = Assert.Single(table, s => s.Id == fd);
        Assert.Equal((SocketKind.Tcp, SocketState.Reading, 5L), (connection.Kind, connection.State, connection.BytesIn));
        Assert.NotNull(connection.RemoteEndPoint);
        Assert.InRange(connection.BytesOut, 0, 5); // the echo is counted once the kernel took it
    }

    [Fact]
    public async Task Pause_stops_reading_and_Resume_reads_again()
    {
        await using var t = new TestNode();
        var fdSource = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var owner = await t.Spawn((self, _) =>
        {
            var listen = self.Sockets.Listen("127.0.0.1", 0);
            self.Sockets.Start(listen, (fd, _) =>
            {
                self.Sockets.Start(fd);
                self.Sockets.Pause(fd);
                fdSource.TrySetResult(fd);
            });
            self.Dispatch(PType.Lua, async message =>
            {
                var fd = (int)message.Args[0]!;
                var before = self.Sockets.Netstat().Single(s => s.Id == fd).State;
                self.Sockets.Resume(fd);
                var data = await self.Sockets.Read(fd, 4);
                self.Ret(before + " " + data.Text);
            });
            port.SetResult(self.Sockets.LocalEndPoint(listen)!.Port);
            return default;
        });
        using var client = await TcpTestClient.Connect(await TestNode.Within(port.Task));
        var fd = await TestNode.Within(fdSource.Task);
        await client.Send("ping");
        var reply = await TestNode.Within(t.Node.Call(owner, fd));
        Assert.Equal("Connected ping", reply);
        // Only the service that manages a socket may pause or resume it.
        await Assert.ThrowsAsync<InvalidOperationException>(() => t.Inside(self => { self.Sockets.Resume(fd); return new ValueTask<bool>(true); }));
    }
}
