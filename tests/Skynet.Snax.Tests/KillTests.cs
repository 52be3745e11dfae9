using System.Collections.Concurrent;

namespace SnaxTests;

/// <summary>A service whose exit hook waits for the test, so a test can watch what happens while it runs.</summary>
[Service]
public sealed partial class SlowCloser : Service
{
    public sealed class Hooks
    {
        public readonly TaskCompletionSource Entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource Release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public volatile bool Finished;
    }

    public static readonly ConcurrentDictionary<string, Hooks> ByKey = new();

    string _key = "";

    ValueTask OnInit(string key)
    {
        _key = key;
        return default;
    }

    protected override async ValueTask OnExit()
    {
        var hooks = ByKey[_key];
        hooks.Entered.SetResult();
        await hooks.Release.Task;
        await Sleep(TimeSpan.FromMilliseconds(1));
        hooks.Finished = true;
    }

    [Response] public string Ping(string text) => "pong " + text;

    [Response] public async ValueTask<string> KillSelf()
    {
        await Snax.Kill(Snax.Self<SlowCloser>()); // must not wait for its own end
        return "still answering";
    }
}

public class KillTests
{
    [Fact]
    public async Task Kill_returns_after_the_exit_hook_ran_to_the_end_and_requests_are_served_meanwhile()
    {
        await using var t = new TestNode();
        var hooks = SlowCloser.ByKey[nameof(Kill_returns_after_the_exit_hook_ran_to_the_end_and_requests_are_served_meanwhile)] = new();
        var closer = await TestNode.Within(Snax.NewService<SlowCloser>(t.Node, nameof(Kill_returns_after_the_exit_hook_ran_to_the_end_and_requests_are_served_meanwhile)));

        var kill = Snax.Kill(closer);
        await TestNode.Within(hooks.Entered.Task);
        Assert.Equal("pong during exit", await TestNode.Within(closer.Req.Ping("during exit"))); // snaxd serves while exit runs
        Assert.False(kill.IsCompleted);

        hooks.Release.SetResult();
        await TestNode.Within(kill);
        Assert.True(hooks.Finished);
        await Assert.ThrowsAsync<CallFailedException>(() => TestNode.Within(closer.Req.Ping("after")));
    }

    [Fact]
    public async Task Kill_from_inside_a_service_also_waits_for_the_exit_hook()
    {
        await using var t = new TestNode();
        var key = nameof(Kill_from_inside_a_service_also_waits_for_the_exit_hook);
        var hooks = SlowCloser.ByKey[key] = new();
        var closer = await TestNode.Within(Snax.NewService<SlowCloser>(t.Node, key));
        hooks.Release.SetResult();
        var finishedWhenKillReturned = await t.Inside(async _ =>
        {
            await Snax.Kill(closer);
            return hooks.Finished;
        });
        Assert.True(finishedWhenKillReturned);
    }

    [Fact]
    public async Task A_service_that_kills_itself_is_not_left_waiting_for_its_own_end()
    {
        await using var t = new TestNode();
        var key = nameof(A_service_that_kills_itself_is_not_left_waiting_for_its_own_end);
        var hooks = SlowCloser.ByKey[key] = new();
        hooks.Release.SetResult();
        var closer = await TestNode.Within(Snax.NewService<SlowCloser>(t.Node, key));
        var gone = t.Node.WhenGone(closer.Target);
        Assert.Equal("still answering", await TestNode.Within(closer.Req.KillSelf()));
        await TestNode.Within(gone);
        Assert.True(hooks.Finished);
    }
}
