using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Core;

/// <summary>Behaviour a Lua service author relies on, matched with skynet.lua (each names the skynet rule it checks).</summary>
public class FidelityTests
{
    [Fact]
    public async Task Redirect_with_the_caller_session_lets_the_target_answer_and_the_forwarder_owes_nothing()
    {
        await using var t = new TestNode();
        var echo = await TestNode.Within(t.SpawnHandler(async (self, m) =>
        {
            if (m.Arg<int>(0) % 7 == 0) await self.Yield(); // some answers come later than the forwarder's return
            self.Ret(m.Arg<int>(0) * 2);
        }));
        // A router built on Redirect alone, as skynet's proxies are: no Response(), no Ret.
        var router = await TestNode.Within(t.SpawnHandler((self, m) =>
        {
            self.Redirect(echo, m.Source, PType.Lua, m.Session, m.Payload);
            return default;
        }));
        var calls = Enumerable.Range(1, 3000).Select(i => t.Node.Call(router, i)).ToArray();
        var replies = await TestNode.Within(Task.WhenAll(calls));
        Assert.Equal(Enumerable.Range(1, 3000).Select(i => (object?)(i * 2)), replies);
        Assert.False(t.Logs.Contains("forgot response"));
    }

    [Fact]
    public async Task IgnoreRet_releases_a_handler_from_its_reply()
    {
        await using var t = new TestNode();
        var target = await TestNode.Within(t.SpawnHandler((self, _) => { self.IgnoreRet(); return default; }));
        var ignored = t.Node.Call(target, PType.Lua, new object?[] { "ignore" }, TimeSpan.FromMilliseconds(200));
        var error = await Assert.ThrowsAsync<CallFailedException>(() => TestNode.Within(ignored));
        Assert.Equal(CallFailure.Timeout, error.Failure); // nothing answered it: no "forgot response" error either
        Assert.False(t.Logs.Contains("forgot response"));
    }

    [Fact]
    public async Task Session_numbers_wrap_to_one_and_skip_sessions_still_waiting()
    {
        await using var t = new TestNode();
        var (old, fresh, oldWoken) = await t.Inside(async self =>
        {
            self.LastSessionForTests = 0; // the next session is 1
            var oldToken = new object();
            var oldWait = self.Wait(oldToken); // session 1 waits for a long time
            self.LastSessionForTests = int.MaxValue - 1;
            var last = self.NextSessionForTests(); // 0x7fffffff
            var wrapped = self.NextSessionForTests(); // wraps, skips 1 (still waiting)
            var woke = self.Wakeup(oldToken);
            await oldWait;
            return (last, wrapped, woke);
        });
        Assert.Equal(int.MaxValue, old);
        Assert.Equal(2, fresh);
        Assert.True(oldWoken);
    }

    [Fact]
    public async Task Two_wakeups_before_the_waiter_runs_wake_two_rounds_of_a_wait_loop()
    {
        await using var t = new TestNode();
        var rounds = await t.Inside(async self =>
        {
            var token = new object();
            var woken = 0;
            var done = new TaskCompletionSource<int>();
            self.Fork(async () =>
            {
                for (var i = 0; i < 2; i++) { await self.Wait(token); woken++; }
                done.SetResult(woken);
            });
            await self.Yield(); // the fork now waits
            Assert.True(self.Wakeup(token));
            Assert.True(self.Wakeup(token)); // skynet queues the token again: true
            return await done.Task.WaitAsync(TestNode.Patience);
        });
        Assert.Equal(2, rounds);
    }

    [Fact]
    public async Task A_woken_coroutine_resumes_before_forks_made_by_the_current_message()
    {
        await using var t = new TestNode(threads: 1);
        var order = await t.Inside(async self =>
        {
            var log = new List<string>();
            var token = new object();
            self.Fork(async () => { await self.Wait(token); log.Add("woken"); });
            await self.Yield();
            self.Fork(() => log.Add("fork"));
            self.Wakeup(token);
            await self.Yield();
            await self.Yield();
            return string.Join(", ", log);
        });
        Assert.Equal("woken, fork", order);
    }

    [Fact]
    public async Task Forks_queued_before_Exit_never_run()
    {
        await using var t = new TestNode();
        var forkRan = false;
        var target = await TestNode.Within(t.SpawnHandler((self, _) =>
        {
            self.Fork(() => forkRan = true);
            self.Exit();
            return default;
        }));
        var gone = t.Node.WhenGone(target);
        t.Node.Send(target, "exit");
        await TestNode.Within(gone);
        Assert.False(forkRan);
    }

    [Fact]
    public async Task A_service_that_exits_in_its_start_fails_NewService()
    {
        await using var t = new TestNode();
        var error = await Assert.ThrowsAsync<ServiceStartException>(() => TestNode.Within(t.Spawn((self, _) => { self.Exit(); return default; })));
        Assert.Contains("exited", error.Message);
        await TestNode.Within(t.Node.WhenGone(error.Address));
        Assert.Null(t.Node.GetInfo(error.Address));
    }

    [Fact]
    public async Task Requests_that_arrive_while_the_exit_hook_runs_are_still_served()
    {
        await using var t = new TestNode();
        var hookStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finishHook = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var target = await TestNode.Within(t.Node.NewService(new TestService((self, _) =>
        {
            self.Dispatch(PType.Lua, m =>
            {
                if (m.Args[0] is "exit") self.Exit();
                self.Ret($"served {m.Args[0]}");
                return default;
            });
            return default;
        }, exit: async self => { hookStarted.SetResult(); await finishHook.Task; })));
        await TestNode.Within(t.Node.Call(target, "exit"));
        await TestNode.Within(hookStarted.Task);
        Assert.Equal("served late", await TestNode.Within(t.Node.Call(target, "late")));
        finishHook.SetResult();
        await TestNode.Within(t.Node.WhenGone(target));
    }

    [Fact]
    public async Task Response_in_a_sent_message_is_a_responder_that_does_nothing()
    {
        await using var t = new TestNode();
        var result = new TaskCompletionSource<(bool Pending, bool Sent)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var target = await TestNode.Within(t.SpawnHandler((self, _) =>
        {
            var responder = self.Response();
            result.SetResult((responder.IsPending, responder.Respond(true, "nobody listens")));
            return default;
        }));
        t.Node.Send(target, "x");
        Assert.Equal((false, false), await TestNode.Within(result.Task));
    }

    [Fact]
    public async Task Ret_in_a_coroutine_without_a_session_throws_no_session()
    {
        await using var t = new TestNode();
        var error = await t.Inside(self => ValueTask.FromResult(Record.Exception(() => self.Ret("nobody"))));
        Assert.Contains("no session", Assert.IsType<InvalidOperationException>(error).Message);
    }
}
