using Skynet.Net;
using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Net;

/// <summary>The node-wide budget of bytes queued for sending: slow readers are closed, largest backlog first.</summary>
public sealed class SendBudgetTests
{
    const int MiB = 1024 * 1024;

    [Fact]
    public async Task Past_the_send_budget_the_largest_backlog_is_closed_and_its_bytes_are_given_back()
    {
        await using var t = new TestNode();
        NetLimits.For(t.Node).SendBudget = 32L * MiB;
        var accepted = new List<int>();
        var closed = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var allAccepted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = await t.Spawn((self, _) =>
        {
            var listen = self.Sockets.Listen("127.0.0.1", 0);
            self.Sockets.Start(listen, (fd, _) =>
            {
                self.Sockets.Start(fd);
                self.Sockets.OnClose(fd, id => closed.TrySetResult(id));
                accepted.Add(fd);
                if (accepted.Count == 2) allAccepted.TrySetResult();
            });
            port.SetResult(self.Sockets.LocalEndPoint(listen)!.Port);
            return default;
        });
        var p = await TestNode.Within(port.Task);
        // Clients that never read, with small receive windows so the kernel holds little of the backlog.
        using var small = await TcpTestClient.Connect(p, receiveBuffer: 4096);
        using var large = await TcpTestClient.Connect(p, receiveBuffer: 4096);
        await TestNode.Within(allAccepted.Task);

        var (smallFd, largeFd, stats) = await t.Inside<(int, int, NetStats)>(self =>
        {
            var chunk = new byte[MiB];
            int first = accepted[0], second = accepted[1];
            for (var i = 0; i < 8; i++) Assert.True(self.Sockets.Write(first, chunk));
            var refused = false;
            for (var i = 0; i < 48 && !refused; i++) refused = !self.Sockets.Write(second, chunk);
            Assert.True(refused, "the connection with the largest backlog should have been closed");
            return new ValueTask<(int, int, NetStats)>((first, second, self.Sockets.Stats()));
        });

        Assert.Equal(largeFd, await TestNode.Within(closed.Task));
        Assert.True(stats.QueuedBytes <= 32L * MiB * 9 / 10, $"{stats.QueuedBytes} bytes still queued");
        Assert.True(stats.SlowReadersClosed >= 1);
        var info = await t.Inside(self => new ValueTask<SocketInfo?>(self.Sockets.Netstat().FirstOrDefault(s => s.Id == smallFd)));
        Assert.NotNull(info);
        Assert.True(info.Value.QueuedBytes > 0, "the smaller backlog stays");
        await TestNode.Within(t.Logs.WaitFor("Send budget:"));

        // Closing the other one gives back everything it queued.
        await t.Inside(self => { self.Sockets.Shutdown(smallFd); return new ValueTask<bool>(true); });
        var left = await t.Inside(self => new ValueTask<long>(self.Sockets.Stats().QueuedBytes));
        Assert.Equal(0, left);
        GC.KeepAlive(server);
    }

    [Fact]
    public void The_default_send_budget_is_bounded()
    {
        var limits = new TestNode();
        try
        {
            var budget = NetLimits.For(limits.Node).SendBudget;
            Assert.InRange(budget, 32L * MiB, 512L * MiB);
            Assert.Throws<ArgumentOutOfRangeException>(() => NetLimits.For(limits.Node).SendBudget = 0);
        }
        finally
        {
            limits.DisposeAsync().AsTask().Wait(TestNode.Patience);
        }
    }
}
