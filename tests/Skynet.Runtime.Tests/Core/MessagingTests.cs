using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Core;

public class MessagingTests
{
    [Fact]
    public async Task Messages_from_one_sender_arrive_in_the_order_sent()
    {
        await using var t = new TestNode(threads: 2);
        const int count = 20_000;
        var received = new List<int>(count);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sink = await TestNode.Within(t.Spawn((self, _) =>
        {
            self.Dispatch(PType.Text, m =>
            {
                received.Add((int)m.Payload!);
                if (received.Count == count) done.SetResult();
                return default;
            });
            return default;
        }));
        await TestNode.Within(t.Spawn((self, _) =>
        {
            for (var i = 0; i < count; i++) self.Send(sink, PType.Text, i);
            return default;
        }));
        await TestNode.Within(done.Task);
        Assert.Equal(Enumerable.Range(0, count), received);
    }

    [Fact]
    public async Task Concurrent_senders_keep_their_order_while_the_owner_reads_the_segment_they_are_filling()
    {
        // The owner detaches what is queued while four outside threads keep appending to the same mail segment after
        // the detached slots: every message arrives once, each sender's in order.
        await using var t = new TestNode(threads: 2);
        const int senders = 4, perSender = 50_000;
        var next = new int[senders];
        var disorder = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = 0;
        var sink = await TestNode.Within(t.SpawnHandler((_, m) =>
        {
            var (sender, sequence) = ((int, int))m.Payload!;
            if (next[sender]++ != sequence) disorder++;
            if (++received == senders * perSender) done.SetResult();
            return default;
        }));
        var threads = Enumerable.Range(0, senders).Select(s => new Thread(() =>
        {
            for (var i = 0; i < perSender; i++) t.Node.Send(sink, PType.Lua, (s, i));
        })).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) Assert.True(thread.Join(TestNode.Patience));
        await TestNode.Within(done.Task);
        Assert.Equal(0, disorder);
        Assert.All(next, n => Assert.Equal(perSender, n));
    }

    [Fact]
    public async Task Send_carries_type_session_source_and_the_payload_reference()
    {
        await using var t = new TestNode();
        var seen = new TaskCompletionSource<Message>(TaskCreationOptions.RunContinuationsAsynchronously);
        var sink = await TestNode.Within(t.Spawn((self, _) =>
        {
            self.Dispatch(PType.Client, m => { seen.SetResult(m); return default; });
            return default;
        }));
        var payload = new object();
        var sender = await TestNode.Within(t.Spawn((self, _) => { self.Send(sink, PType.Client, payload); return default; }));
        var message = await TestNode.Within(seen.Task);
        Assert.Equal(PType.Client, message.Type);
        Assert.Equal(0, message.Session);
        Assert.False(message.IsRequest);
        Assert.Equal(sender, message.Source);
        Assert.Same(payload, message.Payload);
    }

    [Fact]
    public async Task Send_to_an_unknown_address_returns_false()
    {
        await using var t = new TestNode();
        Assert.False(t.Node.Send(new Address(0x00abcdef), PType.Text, "x"));
        Assert.False(await t.Inside(self => ValueTask.FromResult(self.Send(new Address(0x00abcdef), "x"))));
        Assert.False(await t.Inside(self => ValueTask.FromResult(self.Send(".nobody", "x"))));
    }

    [Fact]
    public async Task Call_returns_the_reply_and_resumes_inside_the_caller()
    {
        await using var t = new TestNode();
        var echo = await TestNode.Within(t.SpawnHandler((self, m) => { self.Ret(m.Arg<string>(0) + "!"); return default; }));
        var (reply, resumedInside) = await t.Inside(async self =>
        {
            var r = await self.Call(echo, "ping");
            return ((string?)r, Service.Current == self);
        });
        Assert.Equal("ping!", reply);
        Assert.True(resumedInside);
    }

    [Fact]
    public async Task Call_to_an_unknown_address_fails_naming_the_target()
    {
        await using var t = new TestNode();
        var nowhere = new Address(0x00001234);
        var inside = await t.Inside(async self =>
            await Assert.ThrowsAsync<CallFailedException>(async () => await self.Call(nowhere, "x")));
        Assert.Equal(CallFailure.UnknownAddress, inside.Failure);
        Assert.Equal(nowhere, inside.Target);
        Assert.Contains(":00001234", inside.Message);

        var outside = await Assert.ThrowsAsync<CallFailedException>(() => t.Node.Call(nowhere, "x"));
        Assert.Equal(CallFailure.UnknownAddress, outside.Failure);

        var remote = await Assert.ThrowsAsync<CallFailedException>(() => t.Node.Call(Address.Create(9, 1), "x"));
        Assert.Contains("node 9", remote.Reason);

        var byName = await Assert.ThrowsAsync<CallFailedException>(() => t.Node.Call(".missing", PType.Lua, null));
        Assert.Contains("'.missing'", byName.Reason);
    }

    [Fact]
    public async Task A_handler_that_throws_fails_the_caller_with_its_message_and_the_service_lives_on()
    {
        await using var t = new TestNode();
        var target = await TestNode.Within(t.SpawnHandler((self, m) =>
        {
            if (m.Args[0] is "boom") throw new InvalidOperationException("kaboom");
            self.Ret("fine");
            return default;
        }));
        var error = await Assert.ThrowsAsync<CallFailedException>(() => TestNode.Within(t.Node.Call(target, "boom")));
        Assert.Equal(CallFailure.HandlerFailed, error.Failure);
        Assert.Equal(target, error.Target);
        Assert.Contains("kaboom", error.Message);
        Assert.Equal("fine", await TestNode.Within(t.Node.Call(target, "again")));
        await TestNode.Within(t.Logs.WaitFor("kaboom"));
    }

    [Fact]
    public async Task An_async_handler_that_throws_after_awaiting_fails_the_caller()
    {
        await using var t = new TestNode();
        var target = await TestNode.Within(t.SpawnHandler(async (self, m) =>
        {
            await self.Sleep(TimeSpan.FromMilliseconds(1));
            throw new ArgumentException("late failure");
        }));
        var error = await Assert.ThrowsAsync<CallFailedException>(() => TestNode.Within(t.Node.Call(target, "x")));
        Assert.Equal(CallFailure.HandlerFailed, error.Failure);
        Assert.Contains("late failure", error.Reason);
    }

    [Fact]
    public async Task A_handler_that_forgets_to_reply_is_reported_and_the_caller_gets_an_error()
    {
        await using var t = new TestNode();
        var target = await TestNode.Within(t.SpawnHandler((_, _) => default));
        var error = await Assert.ThrowsAsync<CallFailedException>(() => TestNode.Within(t.Node.Call(target, "x")));
        Assert.Equal(CallFailure.NoResponse, error.Failure);
        var line = await TestNode.Within(t.Logs.WaitFor("Maybe forgot response session"));
        Assert.StartsWith($"[{target}] Maybe forgot response session 1 from :", line);
    }

    [Fact]
    public async Task Ret_in_a_send_handler_returns_false_and_sends_nothing()
    {
        await using var t = new TestNode();
        var result = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var target = await TestNode.Within(t.SpawnHandler((self, _) => { result.SetResult(self.Ret("ignored")); return default; }));
        t.Node.Send(target, "x");
        Assert.False(await TestNode.Within(result.Task));
    }

    [Fact]
    public async Task A_fork_made_by_a_request_handler_has_no_request_to_answer()
    {
        await using var t = new TestNode();
        var forkRet = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var target = await TestNode.Within(t.SpawnHandler(async (self, m) =>
        {
            self.Fork(() => { forkRet.SetResult(Record.Exception(() => self.Ret("from the fork"))); return default; });
            await self.Yield();
            self.Ret("from the handler");
        }));
        Assert.Equal("from the handler", await TestNode.Within(t.Node.Call(target, "x")));
        Assert.Contains("no session", Assert.IsType<InvalidOperationException>(await TestNode.Within(forkRet.Task)).Message);
    }

    [Fact]
    public async Task Nested_async_methods_and_foreign_awaits_keep_the_request()
    {
        await using var t = new TestNode();
        var echo = await TestNode.Within(t.SpawnHandler((self, m) => { self.Ret(m.Args[0]); return default; }));
        var target = await TestNode.Within(t.SpawnHandler(async (self, m) =>
        {
            async Task<object?> Inner()
            {
                await Task.Yield();
                var reply = await self.Call(echo, m.Args[0]);
                await Task.Delay(1);
                return reply;
            }
            var value = await Inner();
            self.Ret($"{value}@{m.Session}");
        }));
        var calls = Enumerable.Range(0, 20).Select(i => t.Node.Call(target, i)).ToArray();
        var replies = await TestNode.Within(Task.WhenAll(calls));
        for (var i = 0; i < replies.Length; i++) Assert.StartsWith($"{i}@", (string)replies[i]!);
    }

    [Fact]
    public async Task Ret_twice_is_an_error_and_the_first_reply_stands()
    {
        await using var t = new TestNode();
        var second = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var target = await TestNode.Within(t.SpawnHandler((self, _) =>
        {
            self.Ret(1);
            second.SetResult(Record.Exception(() => self.Ret(2)));
            return default;
        }));
        Assert.Equal(1, await TestNode.Within(t.Node.Call(target, "x")));
        var error = Assert.IsType<InvalidOperationException>(await TestNode.Within(second.Task));
        Assert.Contains("twice", error.Message);
    }

    [Fact]
    public async Task Ret_after_an_await_answers_the_coroutine_own_caller()
    {
        await using var t = new TestNode();
        var target = await TestNode.Within(t.SpawnHandler(async (self, m) =>
        {
            var delay = m.Arg<int>(0);
            await self.Sleep(TimeSpan.FromMilliseconds(delay));
            self.Ret(delay);
        }));
        var slow = t.Node.Call(target, 40);
        var fast = t.Node.Call(target, 1);
        Assert.Equal(1, await TestNode.Within(fast));
        Assert.Equal(40, await TestNode.Within(slow));
    }

    [Fact]
    public async Task A_responder_replies_later_from_another_coroutine_exactly_once()
    {
        await using var t = new TestNode();
        Responder? parked = null;
        var checks = new TaskCompletionSource<(bool Before, bool After, Exception? Twice, Exception? RetAfterHandOff)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var target = await TestNode.Within(t.SpawnHandler((self, m) =>
        {
            if (m.Args[0] is "park")
            {
                parked = self.Response();
                var retError = Record.Exception(() => self.Ret("no"));
                checks.TrySetResult((parked.IsPending, false, null, retError));
            }
            else if (m.Args[0] is "release")
            {
                var before = parked!.IsPending;
                parked.Respond(true, "released");
                var twice = Record.Exception(() => parked.Respond(true, "again"));
                checks.TrySetResult((before, parked.IsPending, twice, null));
                self.Ret("done");
            }
            return default;
        }));
        var call = t.Node.Call(target, "park");
        var (pending, _, _, retAfterHandOff) = await TestNode.Within(checks.Task);
        Assert.True(pending);
        Assert.Contains("responder", Assert.IsType<InvalidOperationException>(retAfterHandOff).Message);
        Assert.False(call.IsCompleted);

        checks = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.Equal("done", await TestNode.Within(t.Node.Call(target, "release")));
        Assert.Equal("released", await TestNode.Within(call));
        var (before, after, twiceError, _) = await TestNode.Within(checks.Task);
        Assert.True(before);
        Assert.False(after);
        Assert.Contains("exactly once", Assert.IsType<InvalidOperationException>(twiceError).Message);
    }

    [Fact]
    public async Task A_responder_can_refuse_and_can_be_completed_from_another_thread()
    {
        await using var t = new TestNode();
        var target = await TestNode.Within(t.SpawnHandler((self, m) =>
        {
            var responder = self.Response();
            var ok = m.Args[0] is "ok";
            _ = Task.Run(() => responder.Respond(ok, ok ? "from a pool thread" : "not allowed"));
            return default;
        }));
        Assert.Equal("from a pool thread", await TestNode.Within(t.Node.Call(target, "ok")));
        var refused = await Assert.ThrowsAsync<CallFailedException>(() => TestNode.Within(t.Node.Call(target, "no")));
        Assert.Equal(CallFailure.Refused, refused.Failure);
        Assert.Contains("not allowed", refused.Reason);
    }

    [Fact]
    public async Task Response_without_a_request_is_an_error()
    {
        await using var t = new TestNode();
        var error = await t.Inside(self => ValueTask.FromResult(Record.Exception(() => self.Response())));
        Assert.Contains("no session", Assert.IsType<InvalidOperationException>(error).Message);
    }

    [Fact]
    public async Task A_call_times_out_with_a_clear_failure_and_a_late_reply_is_dropped()
    {
        await using var t = new TestNode();
        var late = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = await TestNode.Within(t.SpawnHandler(async (self, _) =>
        {
            await late.Task;
            self.Ret("too late");
        }));
        var (failure, afterwards) = await t.Inside(async self =>
        {
            var error = await Assert.ThrowsAsync<CallFailedException>(async () => await self.Call(slow, PType.Lua, new object?[] { "x" }, TimeSpan.FromMilliseconds(30)));
            late.SetResult();
            await self.Sleep(TimeSpan.FromMilliseconds(20));
            return (error, self.GetInfo().PendingSessions);
        });
        Assert.Equal(CallFailure.Timeout, failure.Failure);
        Assert.Equal(slow, failure.Target);
        Assert.Equal(0, afterwards);

        var parked = await TestNode.Within(t.SpawnHandler((self, _) => { self.Response(); return default; }));
        var outside = await Assert.ThrowsAsync<CallFailedException>(() => t.Node.Call(parked, PType.Lua, new object?[] { "y" }, TimeSpan.FromMilliseconds(30)));
        Assert.Equal(CallFailure.Timeout, outside.Failure);
    }

    [Fact]
    public async Task A_call_can_be_cancelled()
    {
        await using var t = new TestNode();
        var never = await TestNode.Within(t.SpawnHandler((self, _) => { self.Response(); return default; }));
        using var cts = new CancellationTokenSource();
        var inside = t.Inside(async self =>
        {
            var call = self.Call(never, PType.Lua, null, cancellationToken: cts.Token);
            cts.Cancel();
            return await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await call);
        });
        Assert.Equal(cts.Token, (await inside).CancellationToken);

        using var outsideCts = new CancellationTokenSource();
        var outside = t.Node.Call(never, PType.Lua, null, cancellationToken: outsideCts.Token);
        outsideCts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TestNode.Within(outside));
    }

    [Fact]
    public async Task A_request_for_an_unregistered_protocol_fails_and_is_logged()
    {
        await using var t = new TestNode();
        var target = await TestNode.Within(t.Spawn((_, _) => default));
        var error = await Assert.ThrowsAsync<CallFailedException>(() => TestNode.Within(t.Node.Call(target, PType.Text, "x")));
        Assert.Equal(CallFailure.UnknownProtocol, error.Failure);
        await TestNode.Within(t.Logs.WaitFor("Unknown request (Text)"));
    }

    [Fact]
    public async Task Service_api_used_off_the_service_turn_throws_a_helpful_error()
    {
        await using var t = new TestNode();
        var service = new TestService();
        await TestNode.Within(t.Node.NewService(service));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await service.Call(service.Self, "x"));
        Assert.Contains("outside its own message loop", error.Message);
        Assert.Throws<InvalidOperationException>(() => service.Fork(() => default));
    }

    [Fact]
    public async Task Redirect_forwards_with_the_given_source_and_session()
    {
        await using var t = new TestNode();
        var echo = await TestNode.Within(t.SpawnHandler((self, m) => { self.Ret($"echo:{m.Args[0]}"); return default; }));
        // A proxy answers the caller by redirecting the request to echo with the caller's own source and session.
        var proxy = await TestNode.Within(t.Spawn((self, _) =>
        {
            self.Dispatch(PType.Lua, m =>
            {
                self.Response(); // the reply now comes from echo, straight to the caller
                self.Redirect(echo, m.Source, PType.Lua, m.Session, m.Payload);
                return default;
            });
            return default;
        }));
        Assert.Equal("echo:via proxy", await TestNode.Within(t.Node.Call(proxy, "via proxy")));
    }
}
