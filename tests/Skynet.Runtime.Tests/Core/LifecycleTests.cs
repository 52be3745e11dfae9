using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Core;

public class LifecycleTests
{
    sealed class Greeter : Service
    {
        string _greeting = "";

        protected override ValueTask OnStart(object?[] args)
        {
            _greeting = args.Length > 0 ? (string)args[0]! : "hello";
            Dispatch(PType.Lua, m => { Ret($"{_greeting}, {m.Args[0]}"); return default; });
            return default;
        }
    }

    sealed class FailsToStart : Service
    {
        protected override async ValueTask OnStart(object?[] args)
        {
            await Sleep(TimeSpan.FromMilliseconds(1));
            throw new InvalidOperationException("database unreachable");
        }
    }

    [Fact]
    public async Task NewService_by_registered_name_passes_start_arguments()
    {
        await using var t = new TestNode();
        t.Node.AddService<Greeter>("greeter");
        var greeter = await TestNode.Within(t.Node.NewService("greeter", "bonjour"));
        Assert.Equal("bonjour, bob", await TestNode.Within(t.Node.Call(greeter, "bob")));
        var byType = await TestNode.Within(t.Node.NewService<Greeter>());
        Assert.Equal("hello, ann", await TestNode.Within(t.Node.Call(byType, "ann")));
        Assert.Equal("greeter", t.Node.GetInfo(greeter)!.Name);
        Assert.Throws<InvalidOperationException>(() => t.Node.AddService<Greeter>("greeter"));
    }

    [Fact]
    public async Task NewService_from_inside_a_service_waits_for_the_start()
    {
        await using var t = new TestNode();
        t.Node.AddService<Greeter>("greeter");
        var reply = await t.Inside(async self =>
        {
            var child = await self.NewService("greeter", "hi");
            return await self.Call(child, "kid");
        });
        Assert.Equal("hi, kid", reply);
    }

    [Fact]
    public async Task A_failed_start_reports_why_to_the_creator_and_leaves_nothing_behind()
    {
        await using var t = new TestNode();
        t.Node.AddService<FailsToStart>("fragile");
        var before = t.Node.ServiceCount;
        var error = await Assert.ThrowsAsync<ServiceStartException>(() => TestNode.Within(t.Node.NewService("fragile")));
        Assert.Contains("database unreachable", error.Message);
        Assert.Equal("fragile", error.ServiceName);
        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Equal(before, t.Node.ServiceCount);
        Assert.Null(t.Node.GetInfo(error.Address));

        var unknown = await Assert.ThrowsAsync<ServiceStartException>(() => t.Node.NewService("no-such-service"));
        Assert.Contains("no service is registered as 'no-such-service'", unknown.Message);

        t.Node.AddService("broken-factory", () => throw new InvalidDataException("bad config"));
        var factory = await Assert.ThrowsAsync<ServiceStartException>(() => t.Node.NewService("broken-factory"));
        Assert.Contains("bad config", factory.Message);
    }

    [Fact]
    public async Task A_failed_start_inside_a_service_surfaces_there()
    {
        await using var t = new TestNode();
        t.Node.AddService<FailsToStart>("fragile");
        var message = await t.Inside(async self =>
            (await Assert.ThrowsAsync<ServiceStartException>(() => self.NewService("fragile"))).Message);
        Assert.Contains("database unreachable", message);
    }

    [Fact]
    public async Task UniqueService_starts_once_for_concurrent_callers()
    {
        await using var t = new TestNode();
        var starts = 0;
        t.Node.AddService("counter", () => new TestService(async (self, _) =>
        {
            Interlocked.Increment(ref starts);
            await self.Sleep(TimeSpan.FromMilliseconds(10));
        }));
        var all = await TestNode.Within(Task.WhenAll(Enumerable.Range(0, 8).Select(_ => t.Node.UniqueService("counter"))));
        Assert.Single(all.Distinct());
        Assert.Equal(1, starts);
        Assert.Equal(all[0], await TestNode.Within(t.Node.UniqueService("counter")));
    }

    [Fact]
    public async Task A_failed_unique_start_fails_its_callers_and_the_next_caller_retries()
    {
        await using var t = new TestNode();
        var attempt = 0;
        t.Node.AddService("flaky", () => new TestService((_, _) =>
            Interlocked.Increment(ref attempt) == 1 ? throw new InvalidOperationException("first start fails") : default));
        await Assert.ThrowsAsync<ServiceStartException>(() => TestNode.Within(t.Node.UniqueService("flaky")));
        var address = await TestNode.Within(t.Node.UniqueService("flaky"));
        Assert.NotNull(t.Node.GetInfo(address));
    }

    [Fact]
    public async Task QueryService_waits_for_the_unique_service_and_can_time_out()
    {
        await using var t = new TestNode();
        t.Node.AddService<Greeter>("late");
        var query = t.Node.QueryService("late");
        Assert.False(query.IsCompleted);
        var started = await TestNode.Within(t.Node.UniqueService("late"));
        Assert.Equal(started, await TestNode.Within(query));

        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => t.Node.QueryService("never", TimeSpan.FromMilliseconds(20)));
        Assert.Contains("'never'", timeout.Message);
    }

    [Fact]
    public async Task A_dead_unique_service_is_started_again()
    {
        await using var t = new TestNode();
        t.Node.AddService<Greeter>("phoenix");
        var first = await TestNode.Within(t.Node.UniqueService("phoenix"));
        var gone = t.Node.WhenGone(first);
        t.Node.Kill(first);
        await TestNode.Within(gone);
        var second = await TestNode.Within(t.Node.UniqueService("phoenix"));
        Assert.NotEqual(first, second);
        Assert.Equal("hello, again", await TestNode.Within(t.Node.Call(second, "again")));
    }

    [Fact]
    public async Task Local_names_resolve_until_the_service_dies()
    {
        await using var t = new TestNode();
        var db = await TestNode.Within(t.Spawn((self, _) =>
        {
            self.Register(".mydb");
            self.Dispatch(PType.Lua, m => { self.Ret($"db:{m.Args[0]}"); return default; });
            return default;
        }));
        Assert.Equal(db, t.Node.LocalName(".mydb"));
        Assert.Equal("db:x", await TestNode.Within(t.Node.Call(".mydb", PType.Lua, new object?[] { "x" })));
        Assert.Equal("db:y", await t.Inside(async self => await self.Call(".mydb", "y")));
        Assert.Equal([".mydb"], t.Node.NamesOf(db));

        var other = await TestNode.Within(t.Spawn((_, _) => default));
        var taken = Assert.Throws<InvalidOperationException>(() => t.Node.Name(".mydb", other));
        Assert.Contains(db.ToString(), taken.Message);
        Assert.Throws<ArgumentException>(() => t.Node.Name("global", other));

        var gone = t.Node.WhenGone(db);
        t.Node.Kill(db);
        await TestNode.Within(gone);
        var byDeadName = await Assert.ThrowsAsync<CallFailedException>(() => t.Node.Call(".mydb", PType.Lua, null));
        Assert.Equal(CallFailure.UnknownAddress, byDeadName.Failure);
        Assert.Null(t.Node.LocalName(".mydb"));
        t.Node.Name(".mydb", other);
        Assert.Equal(other, t.Node.LocalName(".mydb"));
    }

    [Fact]
    public async Task Exit_runs_the_exit_hook_and_fails_callers_still_waiting()
    {
        await using var t = new TestNode();
        var hookRan = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        Responder? parked = null;
        var target = await TestNode.Within(t.Node.NewService(new TestService((self, _) =>
        {
            self.Dispatch(PType.Lua, async m =>
            {
                switch (m.Args[0])
                {
                    case "park": parked = self.Response(); break;
                    case "hang": await self.Wait("forever"); break;
                    case "exit": self.Ret("bye"); self.Exit(); break;
                }
            });
            return default;
        }, exit: async self =>
        {
            await self.Sleep(TimeSpan.FromMilliseconds(1));
            hookRan.SetResult(Service.Current == self);
        })));
        var parkedCall = t.Node.Call(target, "park");
        var hangingCall = t.Node.Call(target, "hang");
        Assert.Equal("bye", await TestNode.Within(t.Node.Call(target, "exit")));
        Assert.True(await TestNode.Within(hookRan.Task));
        foreach (var call in new[] { parkedCall, hangingCall })
        {
            var error = await Assert.ThrowsAsync<CallFailedException>(() => TestNode.Within(call));
            Assert.Equal(CallFailure.ServiceExited, error.Failure);
            Assert.Contains(target.ToString(), error.Message);
        }
        Assert.False(parked!.IsPending);
        var after = await Assert.ThrowsAsync<CallFailedException>(() => t.Node.Call(target, "x"));
        Assert.Equal(CallFailure.UnknownAddress, after.Failure);
    }

    [Fact]
    public async Task Kill_skips_the_exit_hook_and_fails_queued_calls()
    {
        await using var t = new TestNode(threads: 1);
        var hookRan = false;
        using var entered = new ManualResetEventSlim();
        using var gate = new ManualResetEventSlim();
        var target = await TestNode.Within(t.Node.NewService(new TestService((self, _) =>
        {
            self.Dispatch(PType.Lua, m =>
            {
                if (m.Args[0] is "block") { entered.Set(); gate.Wait(TestNode.Patience); }
                self.Ret("ran");
                return default;
            });
            return default;
        }, exit: _ => { hookRan = true; return default; })));
        var blocking = t.Node.Call(target, "block");
        Assert.True(entered.Wait(TestNode.Patience));
        var queued = t.Node.Call(target, "queued");
        Assert.True(t.Node.Kill(target));
        gate.Set();
        Assert.Equal("ran", await TestNode.Within(blocking));
        var error = await Assert.ThrowsAsync<CallFailedException>(() => TestNode.Within(queued));
        Assert.Equal(CallFailure.ServiceExited, error.Failure);
        Assert.False(hookRan);
        Assert.False(t.Node.Kill(target));
    }

    [Fact]
    public async Task A_call_pending_on_a_service_that_exits_fails_the_calling_service()
    {
        await using var t = new TestNode();
        var victim = await TestNode.Within(t.SpawnHandler(async (self, m) =>
        {
            if (m.Args[0] is "wait") await self.Wait("never");
            else { self.Ret(null); self.Exit(); }
        }));
        var failure = await t.Inside(async self =>
        {
            var pending = self.Call(victim, "wait");
            await self.Call(victim, "exit");
            return await Assert.ThrowsAsync<CallFailedException>(async () => await pending);
        });
        Assert.Equal(CallFailure.ServiceExited, failure.Failure);
        Assert.Equal(victim, failure.Target);
    }

    [Fact]
    public async Task Abort_kills_every_service_and_requests_shutdown()
    {
        await using var t = new TestNode();
        var a = await TestNode.Within(t.Spawn((_, _) => default));
        var b = await TestNode.Within(t.Spawn((_, _) => default));
        var gone = Task.WhenAll(t.Node.WhenGone(a), t.Node.WhenGone(b));
        await t.Inside(self => { self.Abort(); return ValueTask.FromResult(0); });
        Assert.True(t.Node.ShutdownRequested.IsCancellationRequested);
        await TestNode.Within(gone);
        // The service that called Abort was killed too; wait for whatever is still tearing down.
        await TestNode.Within(Task.WhenAll(t.Node.ListServices().Select(s => t.Node.WhenGone(s.Address))));
        Assert.Equal(0, t.Node.ServiceCount);
        Assert.Null(t.Node.GetInfo(a));
        Assert.Null(t.Node.GetInfo(b));
    }

    [Fact]
    public async Task Stopping_the_node_runs_exit_hooks_then_kills_what_hangs()
    {
        var t = new TestNode();
        var polite = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await TestNode.Within(t.Node.NewService(new TestService(exit: _ => { polite.SetResult(); return default; })));
        await TestNode.Within(t.Node.NewService(new TestService(exit: async self => await self.Wait("never"))));
        await TestNode.Within(t.Node.StopAsync(TimeSpan.FromMilliseconds(100)));
        Assert.True(polite.Task.IsCompletedSuccessfully);
        Assert.Equal(0, t.Node.ServiceCount);
        Assert.True(t.Node.Completion.IsCompletedSuccessfully);
        await TestNode.Within(t.Logs.WaitFor("did not exit within"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => t.Node.NewService(new TestService()));
    }

    [Fact]
    public async Task A_service_instance_runs_once()
    {
        await using var t = new TestNode();
        var service = new TestService();
        await TestNode.Within(t.Node.NewService(service));
        await Assert.ThrowsAsync<InvalidOperationException>(() => t.Node.NewService(service));
    }
}
