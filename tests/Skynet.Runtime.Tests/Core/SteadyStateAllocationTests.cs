using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Core;

/// <summary>
/// Issue 18's target of 0 bytes per call and per send in steady state. With one worker every turn (caller, callee,
/// reply) runs on one thread, so the thread's own allocation counter measures the whole round trip exactly.
/// </summary>
public class SteadyStateAllocationTests
{
    const int Warmup = 300, Measured = 2_000;
    static readonly object Payload = "ping";

    [Fact]
    public async Task An_awaited_call_to_a_synchronous_handler_allocates_nothing()
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
        Assert.Equal(0, allocated);
    }

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
        Assert.Equal(0, allocated);
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
        Assert.Equal(0, allocated);
    }

    [Fact]
    public async Task A_request_coroutine_held_by_unawaited_work_is_not_reused_for_the_next_request()
    {
        // The first request's handler answers at once but leaves a call of its own pending (not awaited by the handler).
        // Its coroutine must not serve the second request: when the leftover work resumes and tries to answer, it must
        // see its own, already answered request, and the second caller must get the second handler's reply.
        await using var t = new TestNode(threads: 1);
        // "slow" holds each request until a "release" (banked when it comes first).
        var held = new Queue<Responder>();
        var banked = 0;
        var slow = await TestNode.Within(t.SpawnHandler((self, m) =>
        {
            if (m.Session != 0 && banked > 0) { banked--; self.Ret("released"); }
            else if (m.Session != 0) held.Enqueue(self.Response());
            else if (held.Count > 0) held.Dequeue().Respond(true, "released");
            else banked++;
            return default;
        }));
        var staleRet = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var target = await TestNode.Within(t.SpawnHandler((self, m) =>
        {
            if ((string)m.Payload! == "first")
            {
                _ = Leftover(self);
                self.Ret("first");
                return default;
            }
            return Second(self);
        }));

        async ValueTask Leftover(TestService self)
        {
            await self.Call(slow, PType.Lua, "hold");
            try { self.Ret("stale"); staleRet.SetResult("answered"); }
            catch (InvalidOperationException ex) { staleRet.SetResult(ex.Message); }
        }

        async ValueTask Second(TestService self)
        {
            await self.Call(slow, PType.Lua, "hold");
            self.Ret("second");
        }

        var replies = await t.Inside(async self =>
        {
            var first = await self.Call(target, PType.Lua, "first");
            var second = self.Call(target, PType.Lua, "second").AsTask();
            self.Send(slow, PType.Lua, "release"); // resumes the leftover work of the first request
            self.Send(slow, PType.Lua, "release"); // then the second request's handler
            return (first, await second);
        });
        Assert.Equal(("first", "second"), ((string?)replies.first, (string?)replies.Item2));
        Assert.Contains("twice", await TestNode.Within(staleRet.Task));
    }
}
