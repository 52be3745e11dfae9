using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Core;

public class SchedulerTests
{
    [Fact]
    public async Task A_flooded_service_cannot_starve_another()
    {
        await using var t = new TestNode(threads: 1, configure: o => o.MessageBudget = 16);
        using var entered = new ManualResetEventSlim();
        using var gate = new ManualResetEventSlim();
        var floodHandled = 0;
        var blocker = await TestNode.Within(t.SpawnHandler((_, _) => { entered.Set(); gate.Wait(TestNode.Patience); return default; }));
        var flooded = await TestNode.Within(t.SpawnHandler((_, _) => { floodHandled++; return default; }));
        var seenByOther = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var other = await TestNode.Within(t.SpawnHandler((_, _) => { seenByOther.SetResult(Volatile.Read(ref floodHandled)); return default; }));

        // Hold the only worker, queue the flood and then the other service's one message behind it.
        t.Node.Send(blocker, "hold");
        Assert.True(entered.Wait(TestNode.Patience));
        for (var i = 0; i < 10_000; i++) t.Node.Send(flooded, i);
        t.Node.Send(other, "me too");
        gate.Set();

        var handledBefore = await TestNode.Within(seenByOther.Task);
        Assert.Equal(16, handledBefore);
    }

    [Fact]
    public async Task Idle_workers_park_and_each_new_message_wakes_one()
    {
        await using var t = new TestNode(threads: 2);
        using var handled = new SemaphoreSlim(0);
        var target = await TestNode.Within(t.SpawnHandler((_, _) => { handled.Release(); return default; }));
        for (var i = 0; i < 3_000; i++)
        {
            // Now and then from a fully parked node; otherwise right after the last message, while a worker may be
            // spinning or on its way to park: no message may be left without a worker.
            if (i % 100 == 0) Assert.True(SpinWait.SpinUntil(() => t.Node.Scheduler.ParkedCount == 2, TestNode.Patience), "idle workers did not park");
            t.Node.Send(target, PType.Lua, i);
            Assert.True(await handled.WaitAsync(TestNode.Patience), $"message {i} was not handled");
        }
    }

    [Fact]
    public async Task Workers_parked_before_each_message_wake_for_every_one_and_then_for_a_burst()
    {
        await using var t = new TestNode(threads: 2);
        using var handled = new SemaphoreSlim(0);
        var target = await TestNode.Within(t.SpawnHandler((_, _) => { handled.Release(); return default; }));
        for (var i = 0; i < 300; i++)
        {
            // Each message comes after both workers parked on their wake signal, so each one needs a wake-up.
            Assert.True(SpinWait.SpinUntil(() => t.Node.Scheduler.ParkedCount == 2, TestNode.Patience), "idle workers did not park");
            t.Node.Send(target, PType.Lua, i);
            Assert.True(await handled.WaitAsync(TestNode.Patience), $"message {i} was not handled");
        }
        // Then a burst: a wake-up must not be lost while workers go between running, spinning and parking.
        for (var i = 0; i < 20_000; i++) t.Node.Send(target, PType.Lua, i);
        for (var i = 0; i < 20_000; i++) Assert.True(await handled.WaitAsync(TestNode.Patience), $"burst message {i} was not handled");
    }

    [Fact]
    public async Task A_wake_signal_set_before_the_wait_is_kept_and_none_is_lost_in_a_ping_pong()
    {
        var early = new WakeSignal();
        early.Set();
        await Task.Run(early.Wait).WaitAsync(TestNode.Patience); // returns at once: the signal waited for it

        var ping = new WakeSignal();
        var pong = new WakeSignal();
        const int Rounds = 50_000;
        var other = Task.Factory.StartNew(() =>
        {
            for (var i = 0; i < Rounds; i++)
            {
                ping.Wait();
                pong.Set();
            }
        }, TaskCreationOptions.LongRunning);
        var self = Task.Factory.StartNew(() =>
        {
            for (var i = 0; i < Rounds; i++)
            {
                ping.Set();
                pong.Wait();
            }
        }, TaskCreationOptions.LongRunning);
        await Task.WhenAll(other, self).WaitAsync(TestNode.Patience);
    }

    [Fact]
    public async Task The_thread_count_comes_from_options_and_defaults_to_processor_count()
    {
        await using var three = new TestNode(threads: 3);
        Assert.Equal(3, three.Node.ThreadCount);
        await using var auto = new TestNode(threads: 0);
        Assert.Equal(Environment.ProcessorCount, auto.Node.ThreadCount);
    }

    [Fact]
    public async Task Many_services_exchange_many_calls_on_all_workers()
    {
        await using var t = new TestNode(threads: 4);
        var echoes = await TestNode.Within(Task.WhenAll(Enumerable.Range(0, 32).Select(_ =>
            t.SpawnHandler((self, m) => { self.Ret(m.Arg<int>(0) + 1); return default; }))));
        var callers = Enumerable.Range(0, 32).Select(i => t.Inside(async self =>
        {
            var value = 0;
            for (var n = 0; n < 500; n++) value = (int)(await self.Call(echoes[(i + n) % echoes.Length], value))!;
            return value;
        }));
        Assert.All(await TestNode.Within(Task.WhenAll(callers)), v => Assert.Equal(500, v));
    }

    [Fact]
    public async Task Foreign_awaits_resume_inside_the_service_one_at_a_time()
    {
        await using var t = new TestNode(threads: 2);
        var inside = 0;
        var overlaps = 0;
        var target = await TestNode.Within(t.SpawnHandler(async (self, m) =>
        {
            await Task.Delay(1);
            if (Interlocked.Increment(ref inside) != 1) Interlocked.Increment(ref overlaps);
            var onService = Service.Current == self;
            Thread.SpinWait(1000);
            Interlocked.Decrement(ref inside);
            self.Ret(onService);
        }));
        var results = await TestNode.Within(Task.WhenAll(Enumerable.Range(0, 50).Select(i => t.Node.Call(target, i))));
        Assert.All(results, r => Assert.Equal(true, r));
        Assert.Equal(0, overlaps);
    }

    [Fact]
    public async Task A_service_woken_by_a_long_handler_runs_on_another_worker_meanwhile()
    {
        await using var t = new TestNode(threads: 2);
        using var handled = new ManualResetEventSlim();
        var quick = await TestNode.Within(t.SpawnHandler((_, _) => { handled.Set(); return default; }));
        var slow = await TestNode.Within(t.SpawnHandler((self, m) =>
        {
            // The woken service sits in this worker's run-next slot; it must not wait for this handler to end.
            self.Send(quick, "wake up");
            self.Ret(handled.Wait(TestNode.Patience));
            return default;
        }));
        Assert.Equal(true, await TestNode.Within(t.Node.Call(slow, "go")));
    }

    [Fact]
    public async Task A_ping_pong_pair_does_not_starve_a_third_service()
    {
        await using var t = new TestNode(threads: 1);
        var pings = 0;
        var pong = await TestNode.Within(t.SpawnHandler((self, m) => { self.Ret(null); return default; }));
        var seenByThird = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var third = await TestNode.Within(t.SpawnHandler((_, _) => { seenByThird.TrySetResult(Volatile.Read(ref pings)); return default; }));
        var ping = await TestNode.Within(t.SpawnHandler(async (self, m) =>
        {
            self.Send(third, "your turn");
            for (var i = 0; i < 5000; i++)
            {
                await self.Call(pong, i);
                Volatile.Write(ref pings, i + 1);
            }
            self.Ret(null);
        }));
        await TestNode.Within(t.Node.Call(ping, "start"));
        Assert.InRange(await TestNode.Within(seenByThird.Task), 0, 200);
    }

    static readonly AsyncLocal<string?> s_ambient = new();

    [Fact]
    public async Task An_async_local_set_by_a_synchronous_handler_does_not_leak_into_the_next_message()
    {
        await using var t = new TestNode(threads: 1);
        var target = await TestNode.Within(t.SpawnHandler((self, m) =>
        {
            if (m.Args[0] is "set") s_ambient.Value = "leaked";
            self.Ret(s_ambient.Value);
            return default;
        }));
        Assert.Equal("leaked", await TestNode.Within(t.Node.Call(target, "set")));
        Assert.Null(await TestNode.Within(t.Node.Call(target, "read")));
    }
}
