using Microsoft.Extensions.Configuration;
using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Core;

public class CallTimeoutTests
{
    [Fact]
    public async Task An_answered_call_leaves_no_timer_behind()
    {
        await using var t = new TestNode();
        var echo = await TestNode.Within(t.SpawnHandler((self, m) => { self.Ret(m.Args[0]); return default; }));
        var (pendingAfter, slotsAfter) = await t.Inside(async self =>
        {
            for (var i = 0; i < 5000; i++)
                await self.Call(echo, PType.Lua, new object?[] { i }, TimeSpan.FromMinutes(1));
            return (self.Node.PendingTimers, self.Node.Timers.HeapSlots);
        });
        Assert.Equal(0, pendingAfter);
        Assert.True(slotsAfter <= 1025, $"{slotsAfter} cancelled timers still held"); // swept, not kept for a minute
    }

    [Fact]
    public async Task A_woken_sleep_leaves_no_timer_behind()
    {
        await using var t = new TestNode();
        var pendingAfter = await t.Inside(async self =>
        {
            var token = new object();
            self.Fork(() => self.Wakeup(token));
            Assert.True(await self.Sleep(TimeSpan.FromHours(1), token));
            return self.Node.PendingTimers;
        });
        Assert.Equal(0, pendingAfter);
    }

    [Fact]
    public async Task The_node_wide_call_timeout_ends_calls_that_give_none()
    {
        await using var t = new TestNode(configure: o => o.CallTimeout = TimeSpan.FromMilliseconds(50));
        var parked = await TestNode.Within(t.SpawnHandler((self, _) => { self.Response(); return default; }));
        var inside = await t.Inside(async self => await Assert.ThrowsAsync<CallFailedException>(async () => await self.Call(parked, "x")));
        Assert.Equal(CallFailure.Timeout, inside.Failure);
        var outside = await Assert.ThrowsAsync<CallFailedException>(() => TestNode.Within(t.Node.Call(parked, "y")));
        Assert.Equal(CallFailure.Timeout, outside.Failure);
    }

    [Fact]
    public void The_call_timeout_is_off_by_default_and_must_be_positive()
    {
        Assert.Null(new SkynetOptions().CallTimeout);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SkynetNode(new SkynetOptions { CallTimeout = TimeSpan.Zero }));
    }

    [Fact]
    public void The_call_timeout_binds_from_the_Skynet_section()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Skynet:CallTimeout"] = "00:00:02" })
            .Build();
        var options = new SkynetOptions();
        ConfigurationBinder.Bind(configuration.GetSection("Skynet"), options);
        Assert.Equal(TimeSpan.FromSeconds(2), options.CallTimeout);
    }
}
