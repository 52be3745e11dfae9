using System.Text;
using Skynet.Net;
using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Net;

/// <summary>The node's own sockets complete on .NET's socket event thread by default; turned off, the thread pool carries them.</summary>
public sealed class InlineCompletionsTests
{
    [Fact]
    public async Task On_Linux_the_runtime_lets_a_socket_prefer_inline_completions()
    {
        // If a runtime update drops the internal setter this fails, instead of the gate silently getting slower.
        if (OperatingSystem.IsLinux()) Assert.True(InlineCompletions.Supported);
        await using var t = new TestNode();
        Assert.True(NetLimits.For(t.Node).InlineSocketCompletions);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Accept_read_write_and_connect_work_either_way(bool inline)
    {
        await using var t = new TestNode();
        NetLimits.For(t.Node).InlineSocketCompletions = inline;
        var port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        await t.Spawn((self, _) =>
        {
            var listen = self.Sockets.Listen("127.0.0.1", 0);
            self.Sockets.Start(listen, (fd, _) =>
            {
                self.Sockets.Start(fd);
                self.Fork(async () =>
                {
                    while (await self.Sockets.ReadLine(fd) is { IsClosed: false } line) self.Sockets.Write(fd, line.Text.ToUpperInvariant() + "\n");
                    self.Sockets.Close(fd);
                });
            });
            port.SetResult(self.Sockets.LocalEndPoint(listen)!.Port);
            return default;
        });
        var p = await TestNode.Within(port.Task);

        // An outside client, then a connection the node opens itself (the cluster's way).
        using (var client = await TcpTestClient.Connect(p))
        {
            await client.Send("hello\n");
            Assert.Equal("HELLO\n", Encoding.UTF8.GetString(await client.ReadExactly(6)));
        }
        var echoed = await t.Inside(async self =>
        {
            var fd = await self.Sockets.Open("127.0.0.1", p);
            self.Sockets.Write(fd, "a\nbc\n");
            var first = await self.Sockets.ReadLine(fd);
            var second = await self.Sockets.ReadLine(fd);
            self.Sockets.Close(fd);
            return first.Text + second.Text;
        });
        Assert.Equal("ABC", echoed);
    }
}
