using Skynet.Testing;

namespace Skynet.Testing.Tests;

public class VirtualTimeTests
{
    /// <summary>Sleeps for an hour, then tells the address it was started with.</summary>
    sealed class HourSleeper : Service
    {
        protected override ValueTask OnStart(object?[] args)
        {
            var report = (Address)args[0]!;
            Fork(async () =>
            {
                await Sleep(TimeSpan.FromHours(1));
                Send(report, "woke", Now);
            });
            return default;
        }
    }

    /// <summary>Ticks once a minute with Timeout, reporting the node's Now each time.</summary>
    sealed class MinuteTicker : Service
    {
        Address _report;

        protected override ValueTask OnStart(object?[] args)
        {
            _report = (Address)args[0]!;
            SetTimeout(TimeSpan.FromMinutes(1), Tick);
            return default;
        }

        void Tick()
        {
            Send(_report, "tick", Now);
            SetTimeout(TimeSpan.FromMinutes(1), Tick);
        }
    }

    [Fact]
    public async Task An_hour_of_sleep_passes_when_the_test_advances_the_clock_and_not_before()
    {
        await using var test = new SkynetTestNode();
        var probe = await test.NewProbeAsync();
        await test.NewServiceAsync<HourSleeper>(probe.Self);

        await test.AdvanceAsync(TimeSpan.FromMinutes(59));
        Assert.Equal(0, probe.ReceivedCount);

        await test.AdvanceAsync(TimeSpan.FromMinutes(1));
        var args = await probe.ExpectArgsAsync();
        Assert.Equal("woke", args[0]);
        Assert.Equal(360_000L, args[1]); // centiseconds: exactly one virtual hour
        test.AssertNoFailures();
    }

    [Fact]
    public async Task Advancing_an_hour_runs_each_of_sixty_minute_ticks_at_its_own_time()
    {
        await using var test = new SkynetTestNode();
        var probe = await test.NewProbeAsync();
        await test.NewServiceAsync<MinuteTicker>(probe.Self);

        await test.AdvanceAsync(TimeSpan.FromHours(1));

        Assert.Equal(60, probe.ReceivedCount);
        var times = probe.Received.Select(m => m.Arg<long>(1)).ToArray();
        Assert.Equal(Enumerable.Range(1, 60).Select(minute => minute * 6_000L), times);
        Assert.Equal(TimeSpan.FromMinutes(1), test.Node.NextTimerDue);
    }

    [Fact]
    public async Task Now_Time_and_StartTime_read_the_virtual_clock()
    {
        var start = new DateTimeOffset(2030, 5, 1, 12, 0, 0, TimeSpan.Zero);
        await using var test = new SkynetTestNode(startTime: start);
        Assert.Equal(start.ToUnixTimeSeconds(), test.Node.StartTime);
        Assert.Equal(0, test.Node.Now);

        await test.AdvanceAsync(TimeSpan.FromSeconds(90.5));

        Assert.Equal(9_050, test.Node.Now);
        Assert.Equal(start.ToUnixTimeSeconds() + 90.5, test.Node.Time, precision: 6);
        var inside = await test.RunInsideAsync(self => ValueTask.FromResult((self.Now, self.StartTime)));
        Assert.Equal((9_050L, start.ToUnixTimeSeconds()), inside);
    }

    [Fact]
    public async Task A_call_timeout_inside_a_service_fires_on_virtual_time_only()
    {
        await using var test = new SkynetTestNode();
        var silent = await test.NewServiceAsync((self, message) => { self.Response(); return default; }); // keeps the reply, never gives it
        var call = test.RunInsideAsync(async self =>
        {
            try { await self.Call(silent, PType.Lua, new object?[] { "ping" }, TimeSpan.FromSeconds(10)); return "replied"; }
            catch (CallFailedException ex) { return ex.Failure.ToString(); }
        });

        await test.AdvanceAsync(TimeSpan.FromSeconds(9));
        Assert.False(call.IsCompleted);
        await test.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(nameof(CallFailure.Timeout), await call);
    }

    [Fact]
    public async Task A_call_from_outside_the_node_times_out_on_virtual_time()
    {
        await using var test = new SkynetTestNode();
        var silent = await test.NewServiceAsync((self, message) => { self.Response(); return default; });
        var call = test.Node.Call(silent, PType.Lua, new object?[] { "ping" }, TimeSpan.FromSeconds(5));

        await test.WaitForIdleAsync();
        Assert.False(call.IsCompleted);
        await test.AdvanceAsync(TimeSpan.FromSeconds(5));
        var failure = await Assert.ThrowsAsync<CallFailedException>(() => call.WaitAsync(test.WaitTimeout));
        Assert.Equal(CallFailure.Timeout, failure.Failure);
    }

    [Fact]
    public async Task Sleep_on_the_system_clock_still_takes_real_time()
    {
        await using var node = new SkynetNode(new SkynetOptions { Threads = 1 });
        node.Start();
        var slept = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        await node.NewService(new SleepOnce(slept), []).WaitAsync(SkynetTestNode.DefaultWaitTimeout);
        Assert.True(await slept.Task.WaitAsync(SkynetTestNode.DefaultWaitTimeout) >= 2, "slept less than 20 ms of node time");
    }

    sealed class SleepOnce(TaskCompletionSource<long> slept) : Service
    {
        protected override ValueTask OnStart(object?[] args)
        {
            Fork(async () =>
            {
                var before = Now;
                await Sleep(TimeSpan.FromMilliseconds(20));
                slept.TrySetResult(Now - before);
            });
            return default;
        }
    }
}
