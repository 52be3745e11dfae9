using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Core;

/// <summary>
/// Issue 18's target of 0 bytes per send in steady state, and a call's cost (one coroutine). With one worker every turn (caller, callee,
/// reply) runs on one thread, so the thread's own allocation counter measures the whole round trip exactly.
/// </summary>
public class SteadyStateAllocationTests
{
    const int Warmup = 300, Measured = 2_000;
    static readonly object Payload = "ping";

    [Fact]
    public async Task An_awaited_call_to_a_synchronous_handler_allocates_only_the_requests_own_coroutine()
    {
        await using var t = new TestNode(threads: 1);
        var echo = await TestNode.Within(t.SpawnHandler((self, m) => { self.Ret(m.Payload); return default; }));
        var allocated = await t.Inside(async self =>
        {
            for (var i = 0; i < Warmup; i++) await self.Call(echo, PType.Lua, Payload);
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < Measured; i++)
                if (!ReferenceEquals(await self.Call(echo, PType.Lua, Payload), Payload)) return -1L;
            return GC.GetAllocatedBytesForCurrentThread() - before;
        });
        // Each request runs under a coroutine of its own (see RequestCoroutineReuseTests for why it is not recycled);
        // that object is the whole cost of a round trip: session, awaiter and reply are pooled.
        Assert.Equal(Measured * CoroutineBytes, allocated);
    }

    /// <summary>A request coroutine on 64-bit .NET: header, method table, five fields.</summary>
    const long CoroutineBytes = 48;

    [Fact]
    public async Task Sends_and_their_delivery_allocate_nothing_once_the_segment_pool_is_warm()
    {
        await using var t = new TestNode(threads: 1);
        long counted = 0;
        var sink = await TestNode.Within(t.SpawnHandler((self, m) =>
        {
            if (m.Session == 0) counted++;
            else self.Ret(Payload);
            return default;
        }));
        var allocated = await t.Inside(async self =>
        {
            // Windows of 300 messages span three mail segments, so segments are taken from and given back to the pool.
            for (var i = 0; i < Measured / 10 * 3; i++) self.Send(sink, PType.Lua, Payload);
            await self.Call(sink, PType.Lua, null);
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var window = 0; window < 10; window++)
            {
                for (var i = 0; i < Measured / 10 * 3; i++) self.Send(sink, PType.Lua, Payload);
                await self.Call(sink, PType.Lua, null);
            }
            return GC.GetAllocatedBytesForCurrentThread() - before;
        });
        Assert.Equal(10 * CoroutineBytes, allocated); // only the ten barrier calls' coroutines: the sends cost nothing
        Assert.Equal(Measured / 10 * 3 * 11, counted);
    }

    [Fact]
    public async Task A_fan_out_to_many_mailboxes_allocates_nothing_per_delivery_once_warm()
    {
        // Issue 13's multicast shape on the core: one sender delivers the same payload to 200 services, 40 messages
        // each per round (two segments per mailbox), then waits until the last has handled its round.
        await using var t = new TestNode(threads: 1);
        var sinks = new Address[200];
        for (var i = 0; i < sinks.Length; i++)
            sinks[i] = await TestNode.Within(t.SpawnHandler((self, m) => { if (m.Session != 0) self.Ret(null); return default; }));
        var allocated = await t.Inside(async self =>
        {
            var before = 0L;
            // Two rounds warm the segment pool (its segments, and the queue that holds them growing once).
            for (var round = 0; round < 12; round++)
            {
                if (round == 2) before = GC.GetAllocatedBytesForCurrentThread();
                for (var n = 0; n < 40; n++)
                    foreach (var sink in sinks) self.Send(sink, PType.Lua, Payload);
                foreach (var sink in sinks) await self.Call(sink, PType.Lua, null);
            }
            return GC.GetAllocatedBytesForCurrentThread() - before;
        });
        Assert.Equal(10 * 200 * CoroutineBytes, allocated); // only the barrier calls' coroutines: deliveries cost nothing
    }
}
