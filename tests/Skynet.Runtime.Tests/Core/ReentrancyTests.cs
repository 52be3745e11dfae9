using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Core;

public class ReentrancyTests
{
    /// <summary>A bank whose deposit reads the balance, awaits an audit call, then writes: skynet's classic hazard.</summary>
    static Task<Address> SpawnBank(TestNode t, Address auditor, bool guarded) => t.Spawn((self, _) =>
    {
        var balance = 0;
        var cs = new CriticalSection();
        async ValueTask<int> Deposit(int amount)
        {
            var read = balance;
            await self.Call(auditor, amount);
            balance = read + amount;
            return balance;
        }
        self.Dispatch(PType.Lua, async m =>
        {
            if (m.Args[0] is "balance") { self.Ret(balance); return; }
            var amount = m.Arg<int>(1);
            self.Ret(guarded ? await cs.Run(() => Deposit(amount)) : await Deposit(amount));
        });
        return default;
    });

    static Task<Address> SpawnAuditor(TestNode t) =>
        t.SpawnHandler(async (self, m) => { await self.Sleep(TimeSpan.FromMilliseconds(2)); self.Ret(true); });

    [Fact]
    public async Task While_a_handler_awaits_a_call_the_service_handles_other_messages()
    {
        await using var t = new TestNode();
        var auditor = await TestNode.Within(SpawnAuditor(t));
        var bank = await TestNode.Within(SpawnBank(t, auditor, guarded: false));
        var deposits = Enumerable.Range(0, 10).Select(_ => t.Node.Call(bank, "deposit", 10)).ToArray();
        await TestNode.Within(Task.WhenAll(deposits));
        // Every deposit read the balance before any wrote it: nine updates were lost, as in skynet.
        Assert.Equal(10, await TestNode.Within(t.Node.Call(bank, "balance")));
    }

    [Fact]
    public async Task A_critical_section_serializes_the_code_given_to_it()
    {
        await using var t = new TestNode();
        var auditor = await TestNode.Within(SpawnAuditor(t));
        var bank = await TestNode.Within(SpawnBank(t, auditor, guarded: true));
        var deposits = Enumerable.Range(0, 10).Select(_ => t.Node.Call(bank, "deposit", 10)).ToArray();
        var results = await TestNode.Within(Task.WhenAll(deposits));
        Assert.Equal(100, await TestNode.Within(t.Node.Call(bank, "balance")));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => i * 10), results.Cast<int>().Order());
    }

    [Fact]
    public async Task Waiters_enter_in_arrival_order_and_other_messages_still_run()
    {
        await using var t = new TestNode(threads: 1);
        var log = new List<string>();
        var cs = new CriticalSection();
        using var entered = new ManualResetEventSlim();
        using var gate = new ManualResetEventSlim();
        var target = await TestNode.Within(t.SpawnHandler(async (self, m) =>
        {
            var name = m.Arg<string>(0);
            if (name == "hold") { entered.Set(); gate.Wait(TestNode.Patience); return; }
            if (name == "read") { self.Ret(string.Join(", ", log)); return; }
            if (name == "free") { log.Add("free runs"); return; }
            await cs.Run(async () =>
            {
                log.Add($"{name} in");
                await self.Sleep(TimeSpan.FromMilliseconds(5));
                log.Add($"{name} out");
            });
            if (name == "c") self.Ret("ok");
        }));
        // Hold the only worker so all four messages are queued before "a" starts its sleep.
        t.Node.Send(target, "hold");
        Assert.True(entered.Wait(TestNode.Patience));
        t.Node.Send(target, "a");
        t.Node.Send(target, "b");
        t.Node.Send(target, "free");
        var c = t.Node.Call(target, "c");
        gate.Set();
        await TestNode.Within(c);
        Assert.Equal("a in, free runs, a out, b in, b out, c in, c out", await TestNode.Within(t.Node.Call(target, "read")));
    }

    [Fact]
    public async Task The_holder_can_enter_again_and_values_come_back()
    {
        await using var t = new TestNode();
        var value = await t.Inside(async self =>
        {
            var cs = new CriticalSection();
            return await cs.Run(async () =>
            {
                await self.Yield();
                var inner = await cs.Run(async () =>
                {
                    await self.Yield();
                    return await cs.Run(() => ValueTask.FromResult(20));
                });
                return inner + 1;
            });
        });
        Assert.Equal(21, value);
    }

    [Fact]
    public async Task A_fork_made_inside_the_section_is_another_coroutine_and_waits_its_turn()
    {
        await using var t = new TestNode();
        var order = await t.Inside(async self =>
        {
            var cs = new CriticalSection();
            var log = new List<string>();
            var forkDone = new TaskCompletionSource();
            await cs.Run(async () =>
            {
                self.Fork(async () =>
                {
                    await cs.Run(() => { log.Add("fork inside"); return default; });
                    forkDone.SetResult();
                });
                await self.Yield();
                await self.Yield();
                log.Add("holder leaves");
            });
            await forkDone.Task;
            return string.Join(", ", log);
        });
        Assert.Equal("holder leaves, fork inside", order);
    }

    [Fact]
    public async Task Handlers_of_sent_messages_are_separate_coroutines_inside_a_section()
    {
        // Sent messages share the turn's context until one enters a section; then it is a coroutine of its own, so a
        // second sent message waits for the first instead of passing as its "holder".
        await using var t = new TestNode(threads: 1);
        var log = new List<string>();
        var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var cs = new CriticalSection();
        var target = await TestNode.Within(t.SpawnHandler(async (self, m) =>
        {
            var name = m.Arg<string>(0);
            await cs.Run(async () =>
            {
                log.Add($"{name} in");
                await self.Yield();
                await cs.Run(() => { log.Add($"{name} again"); return default; }); // reentrant for its holder
                log.Add($"{name} out");
            });
            if (name == "b") done.SetResult(string.Join(", ", log));
        }));
        t.Node.Send(target, "a");
        t.Node.Send(target, "b");
        Assert.Equal("a in, a again, a out, b in, b again, b out", await TestNode.Within(done.Task));
    }

    [Fact]
    public async Task An_exception_inside_releases_the_section()
    {
        await using var t = new TestNode();
        var (error, afterwards, locked) = await t.Inside(async self =>
        {
            var cs = new CriticalSection();
            var error = await Record.ExceptionAsync(async () => await cs.Run(() => throw new InvalidOperationException("inside")));
            var after = await cs.Run(() => ValueTask.FromResult("entered again"));
            return (error, after, cs.IsLocked);
        });
        Assert.Equal("inside", error?.Message);
        Assert.Equal("entered again", afterwards);
        Assert.False(locked);
    }

    [Fact]
    public async Task A_section_belongs_to_one_service()
    {
        await using var t = new TestNode();
        var cs = new CriticalSection();
        await t.Inside(async _ => { await cs.Run(() => default); return 0; });
        var error = await t.Inside(async _ => await Record.ExceptionAsync(async () => await cs.Run(() => default)));
        Assert.Contains("each service needs its own", Assert.IsType<InvalidOperationException>(error).Message);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await new CriticalSection().Run(() => default));
    }

    [Fact]
    public async Task Calling_yourself_is_reentrant_and_completes()
    {
        await using var t = new TestNode();
        var target = await TestNode.Within(t.SpawnHandler(async (self, m) =>
        {
            if (m.Args[0] is "outer") self.Ret("outer+" + await self.Call(self.Self, "inner"));
            else self.Ret("inner");
        }));
        Assert.Equal("outer+inner", await TestNode.Within(t.Node.Call(target, "outer")));
    }
}
