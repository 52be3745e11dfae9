using Skynet.Net;
using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Net;

/// <summary>
/// Writes made in a worker's turn go out on that worker when the turn ends (one non-blocking send per batch);
/// what the kernel does not take, and anything larger than a turn's share, goes to the send loop. Bytes must arrive
/// whole and in write order whichever path carried them.
/// </summary>
public sealed class TurnEndFlushTests
{
    /// <summary>A stream whose every byte says where it belongs, so a lost, doubled or moved piece shows.</summary>
    static byte[] Piece(ref long at, int size)
    {
        var piece = new byte[size];
        for (var i = 0; i < size; i++) piece[i] = (byte)(at++ % 251);
        return piece;
    }

    static void AssertStream(byte[] received, long expected)
    {
        Assert.Equal(expected, received.Length);
        for (var i = 0; i < received.Length; i++)
            if (received[i] != (byte)(i % 251)) Assert.Fail($"byte {i} is {received[i]}, expected {i % 251}");
    }

    static async Task<(TestNode Node, int Fd, TcpTestClient Client)> Connected(int? receiveBuffer = null)
    {
        var t = new TestNode();
        var accepted = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        await t.Spawn((self, _) =>
        {
            var listen = self.Sockets.Listen("127.0.0.1", 0);
            self.Sockets.Start(listen, (fd, _) =>
            {
                self.Sockets.Start(fd);
                accepted.TrySetResult(fd);
            });
            port.SetResult(self.Sockets.LocalEndPoint(listen)!.Port);
            return default;
        });
        var client = await TcpTestClient.Connect(await TestNode.Within(port.Task), receiveBuffer);
        return (t, await TestNode.Within(accepted.Task), client);
    }

    [Fact]
    public async Task Turns_the_kernel_only_partly_takes_lose_and_reorder_nothing()
    {
        var (t, fd, client) = await Connected(receiveBuffer: 4096);
        await using var _ = t;
        using var __ = client;
        long at = 0;
        var sizes = new[] { 1, 700, 3001, 97, 1500, 8191, 13, 4096 };
        var queuedSeen = 0L;
        // A small kernel send buffer and a client that does not read yet: the first turn's flush can send only part
        // of its batch, and the send loop must carry on from the exact byte it stopped at, before later turns' writes.
        SocketServer.For(t.Node).Find(fd)!.Handle!.SendBufferSize = 4096;
        for (var turn = 0; turn < 8; turn++)
        {
            var queued = await t.Inside(self =>
            {
                Assert.True(TurnEnd.InTurn, "the writes below must be made inside a worker's turn");
                var bytes = 0;
                for (var i = 0; bytes < 40_000; i++)
                {
                    var piece = Piece(ref at, sizes[(turn + i) % sizes.Length]);
                    Assert.True(self.Sockets.Write(fd, piece));
                    bytes += piece.Length;
                }
                // What earlier turns left queued: bytes the kernel refused.
                return new ValueTask<long>(self.Sockets.Netstat().Single(s => s.Id == fd).QueuedBytes - bytes);
            });
            queuedSeen = Math.Max(queuedSeen, queued);
        }
        Assert.True(queuedSeen > 0, "the kernel should have refused part of the output while the client did not read");
        AssertStream(await client.ReadExactly((int)at), at);
        var left = await t.Inside(self => new ValueTask<long>(self.Sockets.Stats().QueuedBytes));
        Assert.Equal(0, left);
    }

    [Fact]
    public async Task A_turn_writing_more_than_its_share_hands_over_to_the_send_loop_in_order()
    {
        var (t, fd, client) = await Connected();
        await using var _ = t;
        using var __ = client;
        long at = 0;
        await t.Inside(self =>
        {
            for (var i = 0; i < 10; i++) Assert.True(self.Sockets.Write(fd, Piece(ref at, 100)));
            Assert.True(self.Sockets.Write(fd, Piece(ref at, 300_000))); // past the turn's share: the send loop starts now
            for (var i = 0; i < 10; i++) Assert.True(self.Sockets.Write(fd, Piece(ref at, 100)));
            return new ValueTask<bool>(true);
        });
        // The next turn starts from an idle socket or joins the running send loop: both keep the order.
        await t.Inside(self =>
        {
            for (var i = 0; i < 10; i++) Assert.True(self.Sockets.Write(fd, Piece(ref at, 1000)));
            return new ValueTask<bool>(true);
        });
        AssertStream(await client.ReadExactly((int)at), at);
    }

    [Fact]
    public async Task Low_priority_writes_of_a_turn_go_after_its_normal_ones_and_whole()
    {
        var (t, fd, client) = await Connected();
        await using var _ = t;
        using var __ = client;
        var low = new byte[5000];
        Array.Fill(low, (byte)'L');
        await t.Inside(self =>
        {
            Assert.True(self.Sockets.LWrite(fd, low));
            Assert.True(self.Sockets.Write(fd, "abc"u8));
            Assert.True(self.Sockets.Write(fd, "def"u8));
            return new ValueTask<bool>(true);
        });
        var received = await client.ReadExactly(6 + low.Length);
        Assert.Equal("abcdef"u8.ToArray(), received[..6]);
        Assert.Equal(low, received[6..]);
    }

    [Fact]
    public async Task Writes_then_close_in_one_turn_reach_the_peer_before_the_end_of_stream()
    {
        var (t, fd, client) = await Connected();
        await using var _ = t;
        using var __ = client;
        long at = 0;
        await t.Inside(self =>
        {
            for (var i = 0; i < 50; i++) Assert.True(self.Sockets.Write(fd, Piece(ref at, 999)));
            self.Sockets.Close(fd);
            Assert.False(self.Sockets.Write(fd, Piece(ref at, 1)), "a closing socket takes no more writes");
            return new ValueTask<bool>(true);
        });
        AssertStream(await client.ReadToEnd(), at - 1);
    }

    [Fact]
    public async Task Shutdown_in_the_turn_that_wrote_drops_the_batch_and_gives_its_bytes_back()
    {
        var (t, fd, client) = await Connected();
        await using var _ = t;
        using var __ = client;
        await t.Inside(self =>
        {
            Assert.True(self.Sockets.Write(fd, new byte[1000]));
            self.Sockets.Shutdown(fd); // before the turn ends: the flush finds the socket closed and sends nothing
            return new ValueTask<bool>(true);
        });
        Assert.Empty(await client.ReadToEnd());
        var left = await t.Inside(self => new ValueTask<long>(self.Sockets.Stats().QueuedBytes));
        Assert.Equal(0, left);
    }

    [Fact]
    public async Task A_turn_end_flush_runs_on_the_worker_after_the_turn()
    {
        await using var t = new TestNode();
        var flush = new RecordingFlush();
        var thread = await t.Inside(self =>
        {
            Assert.True(TurnEnd.InTurn);
            TurnEnd.Defer(flush);
            Assert.Equal(0, flush.Count); // not before the turn ends
            return new ValueTask<int>(Environment.CurrentManagedThreadId);
        });
        await TestNode.Within(flush.Done.Task);
        Assert.Equal(1, flush.Count);
        Assert.Equal(thread, flush.Thread);
        Assert.False(TurnEnd.InTurn, "the test's own thread is no worker");
    }

    sealed class RecordingFlush : ITurnEndFlush
    {
        public int Count;
        public int Thread;
        public readonly TaskCompletionSource Done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void FlushAtTurnEnd()
        {
            Count++;
            Thread = Environment.CurrentManagedThreadId;
            Done.TrySetResult();
        }
    }
}
