using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Core;

/// <summary>
/// Work a handler starts and does not await (<c>_ = SaveAsync()</c>) may resume after the handler's request has been
/// answered. It must still run as the request that started it, never as a later request on the same service.
/// </summary>
public class RequestCoroutineReuseTests
{
    [Fact]
    public async Task A_fire_and_forget_continuation_cannot_answer_a_later_request()
    {
        await using var t = new TestNode(threads: 1);
        var foreign = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lateRet = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task Later(Service self)
        {
            await foreign.Task;
            try { lateRet.SetResult(self.Ret("late") ? "answered" : "refused"); }
            catch (Exception ex) { lateRet.SetResult("refused: " + ex.GetType().Name); }
        }

        var svc = await TestNode.Within(t.SpawnHandler(async (self, m) =>
        {
            if ((string)m.Payload! == "first")
            {
                _ = Later(self);
                self.Ret("first");
                return;
            }
            await second.Task;
            self.Ret("second");
        }));

        var replies = await TestNode.Within(t.Inside(async self =>
        {
            var first = await self.Call(svc, PType.Lua, "first");
            var pending = self.Call(svc, PType.Lua, "second");
            foreign.SetResult();
            var late = await lateRet.Task.WaitAsync(TimeSpan.FromSeconds(30));
            second.SetResult();
            return (first, late, secondReply: await pending);
        }));

        Assert.Equal("first", replies.first);
        Assert.Equal("second", replies.secondReply);
        Assert.StartsWith("refused", replies.late);
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
