using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Core;

public class CoroutineTests
{
    [Fact]
    public async Task Forks_run_in_order_after_the_current_message_and_before_the_next()
    {
        await using var t = new TestNode(threads: 1);
        var log = new List<string>();
        var target = await TestNode.Within(t.SpawnHandler((self, m) =>
        {
            var name = m.Arg<string>(0);
            log.Add($"{name} start");
            self.Fork(() => { log.Add($"{name} fork 1"); return default; });
            self.Fork(() => { log.Add($"{name} fork 2"); return default; });
            log.Add($"{name} end");
            if (name == "b") self.Ret(string.Join(", ", log));
            return default;
        }));
        t.Node.Send(target, "a");
        var order = await TestNode.Within(t.Node.Call(target, "b"));
        Assert.Equal("a start, a end, a fork 1, a fork 2, b start, b end", order);
    }

    [Fact]
    public async Task A_failing_fork_is_logged_and_the_service_goes_on()
    {
        await using var t = new TestNode();
        var value = await t.Inside(async self =>
        {
            self.Fork(() => throw new InvalidOperationException("fork went wrong"));
            await self.Yield();
            return 42;
        });
        Assert.Equal(42, value);
        await TestNode.Within(t.Logs.WaitFor("fork went wrong"));
    }

    [Fact]
    public async Task Sleep_suspends_for_the_delay_and_reports_it_was_not_woken()
    {
        await using var t = new TestNode();
        var (woken, elapsedCs) = await t.Inside(async self =>
        {
            var before = self.Now;
            var woken = await self.Sleep(TimeSpan.FromMilliseconds(50));
            return (woken, self.Now - before);
        });
        Assert.False(woken);
        Assert.True(elapsedCs >= 5, $"slept {elapsedCs} cs");
    }

    [Fact]
    public async Task Wakeup_breaks_a_sleep_early()
    {
        await using var t = new TestNode();
        var token = new object();
        var (woken, wakeupResult, secondWakeup) = await t.Inside(async self =>
        {
            var wakeups = new List<bool>();
            self.Fork(() => { wakeups.Add(self.Wakeup(token)); return default; });
            var woken = await self.Sleep(TimeSpan.FromHours(1), token);
            wakeups.Add(self.Wakeup(token));
            return (woken, wakeups[0], wakeups[1]);
        });
        Assert.True(woken);
        Assert.True(wakeupResult);
        Assert.False(secondWakeup);
    }

    [Fact]
    public async Task Wait_suspends_until_wakeup_and_the_woken_coroutine_resumes_after_the_waker_yields()
    {
        await using var t = new TestNode();
        var order = await t.Inside(async self =>
        {
            var log = new List<string>();
            var token = "door";
            self.Fork(async () =>
            {
                log.Add("waiting");
                await self.Wait(token);
                log.Add("woken");
            });
            await self.Yield();
            log.Add("waking");
            Assert.True(self.Wakeup(token));
            log.Add("waker continues");
            await self.Yield();
            return string.Join(", ", log);
        });
        Assert.Equal("waiting, waking, waker continues, woken", order);
    }

    [Fact]
    public async Task Two_coroutines_cannot_wait_on_one_token()
    {
        await using var t = new TestNode();
        var error = await t.Inside(async self =>
        {
            self.Fork(async () => await self.Wait("t"));
            await self.Yield();
            return await Record.ExceptionAsync(async () => await self.Wait("t"));
        });
        Assert.Contains("already sleeps or waits", Assert.IsType<InvalidOperationException>(error).Message);
    }

    [Fact]
    public async Task Yield_lets_queued_messages_run_first()
    {
        await using var t = new TestNode(threads: 1);
        var log = new List<string>();
        using var entered = new ManualResetEventSlim();
        using var gate = new ManualResetEventSlim();
        var target = await TestNode.Within(t.SpawnHandler(async (self, m) =>
        {
            var name = m.Arg<string>(0);
            if (name == "hold") { entered.Set(); gate.Wait(TestNode.Patience); return; }
            log.Add($"{name} before");
            if (name == "first") await self.Yield();
            log.Add($"{name} after");
            if (name == "first") self.Ret(string.Join(", ", log));
        }));
        // Hold the only worker so both messages are queued before "first" runs.
        t.Node.Send(target, "hold");
        Assert.True(entered.Wait(TestNode.Patience));
        var call = t.Node.Call(target, "first");
        t.Node.Send(target, "second");
        gate.Set();
        Assert.Equal("first before, second before, second after, first after", await TestNode.Within(call));
    }

    [Fact]
    public async Task Timeout_runs_its_action_later_as_a_new_coroutine()
    {
        await using var t = new TestNode();
        var fired = new TaskCompletionSource<(long Elapsed, bool Inside)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await TestNode.Within(t.Spawn((self, _) =>
        {
            var start = self.Now;
            self.SetTimeout(TimeSpan.FromMilliseconds(30), () => fired.SetResult((self.Now - start, Service.Current == self)));
            return default;
        }));
        var (elapsed, inside) = await TestNode.Within(fired.Task);
        Assert.True(elapsed >= 3, $"fired after {elapsed} cs");
        Assert.True(inside);
    }

    [Fact]
    public async Task Ten_thousand_pending_timers_fire_in_deadline_order()
    {
        await using var t = new TestNode();
        const int count = 10_000;
        var fired = new List<(TimeSpan Earliest, TimeSpan Latest)>(count);
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await TestNode.Within(t.Spawn((self, _) =>
        {
            // Delays 1..100 ms in a scrambled order. The runtime reads its clock inside Timeout, so each timer's due
            // time lies between the clock before and after the call, plus the delay.
            for (var i = 0; i < count; i++)
            {
                var delay = TimeSpan.FromMilliseconds(1 + (i * 7919) % 100);
                var before = clock.Elapsed;
                (TimeSpan, TimeSpan) due = default;
                self.SetTimeout(delay, () =>
                {
                    fired.Add(due);
                    if (fired.Count == count) all.SetResult();
                });
                due = (before + delay, clock.Elapsed + delay);
            }
            Assert.True(t.Node.PendingTimers > 0);
            return default;
        }));
        await TestNode.Within(all.Task);
        // A timer never fires before one that was certainly due earlier.
        for (var i = 1; i < count; i++)
            Assert.True(fired[i].Latest >= fired[i - 1].Earliest, $"a timer due by {fired[i].Latest} fired after one due no earlier than {fired[i - 1].Earliest}");
        Assert.Equal(0, t.Node.PendingTimers);
    }

    [Fact]
    public async Task Now_time_and_start_time_follow_skynet_units()
    {
        await using var t = new TestNode();
        var (now, time, start) = await t.Inside(self => ValueTask.FromResult((self.Now, self.Time, self.StartTime)));
        var unixNow = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.InRange(now, 0, 100 * 60);
        Assert.InRange(start, unixNow - 60, unixNow);
        Assert.InRange(time, start, unixNow + 1);
    }
}
