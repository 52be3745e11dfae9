using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Core;

public class RawLayerTests
{
    [Fact]
    public async Task RawSend_and_RawCall_carry_bytes_untouched()
    {
        await using var t = new TestNode();
        var received = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var echo = await TestNode.Within(t.Spawn((self, _) =>
        {
            self.Dispatch(PType.Client, m =>
            {
                var bytes = m.Bytes.ToArray();
                if (m.IsRequest) self.Ret(new ReadOnlyMemory<byte>([.. bytes.Reverse()]));
                else received.SetResult(bytes);
                return default;
            });
            self.Dispatch(PType.Lua, _ => { self.Ret("not bytes"); return default; });
            return default;
        }));
        var (reply, notBytes) = await t.Inside(async self =>
        {
            Assert.True(self.RawSend(echo, PType.Client, new byte[] { 1, 2, 3 }));
            var reply = await self.RawCall(echo, PType.Client, new byte[] { 4, 5, 6 });
            var notBytes = await Record.ExceptionAsync(async () => await self.RawCall(echo, PType.Lua, ReadOnlyMemory<byte>.Empty));
            return (reply.ToArray(), notBytes);
        });
        Assert.Equal(new byte[] { 1, 2, 3 }, await TestNode.Within(received.Task));
        Assert.Equal(new byte[] { 6, 5, 4 }, reply);
        Assert.Contains("not bytes", Assert.IsType<InvalidOperationException>(notBytes).Message);
    }

    [Fact]
    public async Task Select_yields_replies_as_they_arrive_and_failures_too()
    {
        await using var t = new TestNode();
        var slow = await TestNode.Within(t.SpawnHandler(async (self, _) => { await self.Sleep(TimeSpan.FromMilliseconds(30)); self.Ret("slow"); }));
        var fast = await TestNode.Within(t.SpawnHandler((self, _) => { self.Ret("fast"); return default; }));
        var failing = await TestNode.Within(t.SpawnHandler((_, _) => throw new InvalidOperationException("no")));
        var replies = await t.Inside(async self =>
        {
            var list = new List<CallReply>();
            await foreach (var reply in self.Request(slow, PType.Lua, null).Add(fast, "q").Add(failing, "q").Select())
                list.Add(reply);
            return list;
        });
        Assert.Equal(3, replies.Count);
        Assert.Equal(0, replies[^1].Index); // slow was added first but answers last; fast and failing come first, in whichever order
        Assert.Equal("slow", replies[^1].Payload);
        Assert.Contains(replies, r => r is { Ok: true, Payload: "fast", Index: 1 });
        var failure = Assert.Single(replies, r => !r.Ok);
        Assert.Equal(failing, failure.Destination);
        Assert.Equal(CallFailure.HandlerFailed, Assert.IsType<CallFailedException>(failure.Error).Failure);
    }

    [Fact]
    public async Task Select_with_a_timeout_stops_at_the_timeout_and_leaves_nothing_waiting()
    {
        await using var t = new TestNode();
        var never = await TestNode.Within(t.SpawnHandler((self, _) => { self.Response(); return default; }));
        var fast = await TestNode.Within(t.SpawnHandler((self, _) => { self.Ret("fast"); return default; }));
        var (seen, pendingSessions) = await t.Inside(async self =>
        {
            var seen = new List<object?>();
            await foreach (var reply in self.Request().Add(never, "q").Add(fast, "q").Select(TimeSpan.FromMilliseconds(50)))
                seen.Add(reply.Payload);
            await self.Sleep(TimeSpan.FromMilliseconds(20)); // the call to 'never' timed out with the batch
            return (seen, self.GetInfo().PendingSessions);
        });
        Assert.Equal(["fast"], seen);
        Assert.Equal(0, pendingSessions);
    }

    [Fact]
    public async Task Stat_reports_skynet_counters_by_name()
    {
        await using var t = new TestNode(configure: o => o.Profile = true);
        var stats = await t.Inside(async self =>
        {
            await self.Yield();
            var token = new object();
            self.Fork(async () => await self.Wait(token));
            await self.Yield();
            var result = (mqlen: self.Stat("mqlen"), message: self.Stat("message"), task: self.Stat("task"), cpu: self.Stat("cpu"), dropped: self.Stat("dropped"));
            self.Wakeup(token);
            return result;
        });
        Assert.Equal(0, stats.mqlen);
        Assert.True(stats.message >= 2, $"message = {stats.message}");
        Assert.Equal(1, stats.task); // the fork waiting on its token
        Assert.True(stats.cpu >= 0);
        Assert.Equal(0, stats.dropped);
        var unknown = await t.Inside(self => ValueTask.FromResult(Record.Exception(() => self.Stat("nope"))));
        Assert.Contains("mqlen", Assert.IsType<ArgumentException>(unknown).Message);
    }

    [Fact]
    public async Task MemLimit_refuses_new_services_while_the_heap_is_past_it()
    {
        await using var t = new TestNode();
        Assert.Equal(0, t.Node.MemLimit);
        t.Node.MemLimit = 1; // any heap is past one byte
        var error = await Assert.ThrowsAsync<ServiceStartException>(() => TestNode.Within(t.Spawn((_, _) => default)));
        Assert.Contains("MemLimit", error.Message);
        t.Node.MemLimit = 0;
        await TestNode.Within(t.Spawn((_, _) => default));
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Node.MemLimit = -1);
    }

    [Fact]
    public async Task Trace_follows_a_call_chain_and_logs_each_hop()
    {
        await using var t = new TestNode();
        var leaf = await TestNode.Within(t.SpawnHandler((self, _) => { self.Ret(self.TraceTag); return default; }));
        var middle = await TestNode.Within(t.SpawnHandler(async (self, _) =>
        {
            var tag = self.Trace("login");
            var seenByLeaf = await self.Call(leaf, "q");
            self.Ret((tag, seenByLeaf));
        }));
        var (tag, seenByLeaf) = ((string, object?))(await TestNode.Within(t.Node.Call(middle, "go")))!;
        Assert.Equal($"{middle}-1", tag);
        Assert.Equal(tag, seenByLeaf); // the callee's request inherited the tag
        await TestNode.Within(t.Logs.WaitFor($"[{middle}] <TRACE {tag}>"));
        Assert.Contains($"trace login", t.Logs.Lines.Single(l => l.Text.StartsWith($"[{middle}] <TRACE {tag}>") && l.Text.Contains("trace")).Text);
        Assert.True(t.Logs.Contains($"call {leaf}"));
        Assert.True(t.Logs.Contains($"[{leaf}] <TRACE {tag}>"));
        await TestNode.Within(t.Logs.WaitFor(l => l.StartsWith($"[{middle}] <TRACE {tag}>") && l.Contains("response")));
        var untraced = await t.Inside(self => ValueTask.FromResult(Record.Exception(() => self.Trace())));
        Assert.IsType<InvalidOperationException>(untraced);
    }

    [Fact]
    public async Task Term_fails_the_calls_waiting_on_a_service_as_if_it_exited()
    {
        await using var t = new TestNode();
        var silent = await TestNode.Within(t.SpawnHandler((self, _) => { self.Response(); return default; }));
        var (failure, count) = await t.Inside(async self =>
        {
            var first = self.Call(silent, "a");
            var second = self.Call(silent, "b");
            var count = self.Term(silent);
            var error = await Assert.ThrowsAsync<CallFailedException>(async () => await first);
            await Assert.ThrowsAsync<CallFailedException>(async () => await second);
            return (error, count);
        });
        Assert.Equal(2, count);
        Assert.Equal(CallFailure.ServiceExited, failure.Failure);
        Assert.Equal(silent, failure.Target);
    }
}
