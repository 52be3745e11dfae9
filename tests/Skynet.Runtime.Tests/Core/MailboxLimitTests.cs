using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Core;

[Collection(ProcessHeapCollection.Name)]
public class MailboxLimitTests
{
    /// <summary>A consumer whose handler blocks its worker on "hold" until the gate opens, so tests can flood it.</summary>
    sealed class Consumer(int? limit = null) : Service
    {
        public readonly ManualResetEventSlim Entered = new();
        public readonly ManualResetEventSlim Gate = new();
        public readonly TaskCompletionSource Drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int DrainAt = -1;
        public int Handled;

        protected override ValueTask OnStart(object?[] args)
        {
            if (limit is { } l) MailboxLimit = l;
            Dispatch(PType.Lua, m =>
            {
                if (m.Args[0] is "hold") { Entered.Set(); Gate.Wait(TestNode.Patience); }
                else if (++Handled == DrainAt) Drained.SetResult();
                if (m.IsRequest) Ret("ok");
                return default;
            });
            return default;
        }
    }

    [Fact]
    public async Task A_flooding_producer_stays_under_the_limit_sends_report_drops_and_calls_fail_at_once()
    {
        await using var t = new TestNode(threads: 2, configure: o => o.MailboxLimit = 100);
        var consumer = new Consumer();
        var address = await TestNode.Within(t.Node.NewService(consumer));
        t.Node.Send(address, "hold");
        Assert.True(consumer.Entered.Wait(TestNode.Patience));

        int accepted = 0, refused = 0, maxSeen = 0;
        for (var i = 0; i < 20_000; i++)
        {
            if (t.Node.Send(address, i)) accepted++; else refused++;
            if (i % 1000 == 0) maxSeen = Math.Max(maxSeen, t.Node.GetInfo(address)!.QueueLength);
        }
        Assert.Equal(100, accepted);
        Assert.Equal(19_900, refused);
        Assert.True(maxSeen <= 100, $"queue reached {maxSeen}");
        Assert.Equal(19_900, t.Node.GetInfo(address)!.DroppedMessages);

        var overloaded = await Assert.ThrowsAsync<CallFailedException>(() => t.Node.Call(address, "call"));
        Assert.Equal(CallFailure.Overloaded, overloaded.Failure);
        Assert.Contains("full", overloaded.Reason);
        var fromInside = await t.Inside(async self => await Assert.ThrowsAsync<CallFailedException>(async () => await self.Call(address, "call")));
        Assert.Equal(CallFailure.Overloaded, fromInside.Failure);

        var report = await TestNode.Within(t.Logs.WaitFor("Mailbox full (100 messages)"));
        Assert.StartsWith($"[{address}] ", report);
        Assert.True(t.Logs.Lines.Count(l => l.Text.Contains("Mailbox full")) < 10, "drop reports are rate-limited");

        consumer.DrainAt = 100;
        consumer.Gate.Set();
        await TestNode.Within(consumer.Drained.Task); // every message that was taken is handled: none lost
        Assert.Equal("ok", await TestNode.Within(t.Node.Call(address, "after")));
        Assert.Equal(101, consumer.Handled);
    }

    [Fact]
    public async Task Replies_to_a_full_service_are_never_refused()
    {
        await using var t = new TestNode(threads: 2);
        Responder? parked = null;
        var parkedReady = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answerer = await TestNode.Within(t.SpawnHandler((self, _) => { parked = self.Response(); parkedReady.SetResult(); return default; }));
        using var entered = new ManualResetEventSlim();
        using var gate = new ManualResetEventSlim();
        var reply = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var full = await TestNode.Within(t.Node.NewService(new TestService((self, _) =>
        {
            self.MailboxLimit = 10;
            self.Dispatch(PType.Lua, async m =>
            {
                if (m.Args[0] is not "start") return;
                var pending = self.Call(answerer, "question");
                entered.Set();
                gate.Wait(TestNode.Patience);
                reply.SetResult(await pending);
            });
            return default;
        })));
        t.Node.Send(full, "start");
        Assert.True(entered.Wait(TestNode.Patience));
        await TestNode.Within(parkedReady.Task);
        while (t.Node.Send(full, "filler")) { }
        Assert.True(parked!.Respond(true, "answer")); // the mailbox is full, but a reply always gets in
        gate.Set();
        Assert.Equal("answer", await TestNode.Within(reply.Task));
    }

    [Fact]
    public async Task A_service_overrides_the_node_default_either_way()
    {
        await using var t = new TestNode(threads: 2, configure: o => o.MailboxLimit = 10);
        var unlimited = new Consumer(limit: 0);
        var strict = new Consumer(limit: 3);
        var a = await TestNode.Within(t.Node.NewService(unlimited));
        var b = await TestNode.Within(t.Node.NewService(strict));
        t.Node.Send(a, "hold");
        t.Node.Send(b, "hold");
        Assert.True(unlimited.Entered.Wait(TestNode.Patience));
        Assert.True(strict.Entered.Wait(TestNode.Patience));
        Assert.Equal(1000, Enumerable.Range(0, 1000).Count(i => t.Node.Send(a, i)));
        Assert.Equal(3, Enumerable.Range(0, 1000).Count(i => t.Node.Send(b, i)));
        unlimited.Gate.Set();
        strict.Gate.Set();
        Assert.Null(new TestService().MailboxLimit);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TestService().MailboxLimit = -1);
    }

    [Fact]
    public async Task Memory_stays_bounded_under_a_flood()
    {
        await using var t = new TestNode(threads: 2, configure: o => o.MailboxLimit = 1000);
        var consumer = new Consumer();
        var address = await TestNode.Within(t.Node.NewService(consumer));
        t.Node.Send(address, "hold");
        Assert.True(consumer.Entered.Wait(TestNode.Patience));
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < 200_000; i++) t.Node.Send(address, new byte[1024]); // 200 MB if all were kept
        var grown = GC.GetTotalMemory(forceFullCollection: true) - before;
        consumer.Gate.Set();
        Assert.True(grown < 32 << 20, $"the heap grew by {grown >> 20} MB");
        Assert.Equal(199_000, t.Node.GetInfo(address)!.DroppedMessages);
    }

    [Fact]
    public async Task Overload_warnings_report_the_true_length_while_a_backlog_grows()
    {
        await using var t = new TestNode(threads: 1);
        using var entered = new ManualResetEventSlim();
        using var gate = new ManualResetEventSlim();
        using var enteredAgain = new ManualResetEventSlim();
        using var gateAgain = new ManualResetEventSlim();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handled = 0;
        var target = await TestNode.Within(t.SpawnHandler((_, m) =>
        {
            if (m.Args[0] is "hold") { entered.Set(); gate.Wait(TestNode.Patience); }
            else if (++handled == 10) { enteredAgain.Set(); gateAgain.Wait(TestNode.Patience); }
            if (handled == 12_000) done.SetResult();
            return default;
        }));
        t.Node.Send(target, "hold");
        Assert.True(entered.Wait(TestNode.Patience));
        for (var i = 0; i < 2000; i++) t.Node.Send(target, i);
        gate.Set();
        Assert.True(enteredAgain.Wait(TestNode.Patience)); // blocked again inside the 2000-message batch
        for (var i = 0; i < 10_000; i++) t.Node.Send(target, i);
        gateAgain.Set();
        await TestNode.Within(done.Task);
        var lengths = t.Logs.Lines.Where(l => l.Text.Contains("May overload")).Select(l => int.Parse(l.Text[(l.Text.LastIndexOf('=') + 1)..])).ToList();
        Assert.Contains(2000, lengths);
        // The backlog was ~1990 detached plus 10 000 new: skynet's rule reports that, not only the newest batch.
        Assert.Contains(lengths, l => l > 11_000);
    }
}
