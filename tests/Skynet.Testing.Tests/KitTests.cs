using Microsoft.Extensions.Logging;
using Skynet.Testing;

namespace Skynet.Testing.Tests;

public class KitTests
{
    [Fact]
    public async Task A_probe_records_sends_and_answers_calls_with_its_reply_function()
    {
        await using var test = new SkynetTestNode();
        var probe = await test.NewProbeAsync(message => message.Arg<int>(0) * 2);

        test.Send(probe.Self, "hello", 1);
        Assert.Equal(42, await test.CallAsync(probe.Self, 21));

        Assert.Equal(["hello", 1], await probe.ExpectArgsAsync());
        var call = await probe.ExpectMessageAsync();
        Assert.True(call.IsRequest);
        Assert.Equal(2, probe.ReceivedCount);
    }

    [Fact]
    public async Task Waiting_for_more_messages_than_arrive_fails_within_the_bound()
    {
        await using var test = new SkynetTestNode();
        var probe = await test.NewProbeAsync();
        test.Send(probe.Self, "only one");
        var ex = await Assert.ThrowsAsync<TimeoutException>(() => probe.WaitForCountAsync(2, TimeSpan.FromMilliseconds(50)));
        Assert.Contains("received 1 message(s)", ex.Message);
    }

    [Fact]
    public async Task WaitForMessages_counts_what_a_service_handled()
    {
        await using var test = new SkynetTestNode();
        var seen = 0;
        var counter = await test.NewServiceAsync((self, message) => { Interlocked.Increment(ref seen); return default; });
        var before = test.Node.GetInfo(counter)!.MessageCount;
        for (var i = 0; i < 5; i++) test.Send(counter, i);

        await test.WaitForMessagesAsync(counter, before + 5);
        Assert.Equal(5, Volatile.Read(ref seen));
    }

    [Fact]
    public async Task Logs_are_kept_per_service()
    {
        await using var test = new SkynetTestNode();
        var first = await test.NewServiceAsync((self, message) => { self.Log($"first got {message.Arg<string>(0)}"); return default; });
        var second = await test.NewServiceAsync((self, message) => { self.Log(LogLevel.Warning, $"second got {message.Arg<string>(0)}"); return default; });
        test.Send(first, "a");
        test.Send(second, "b");

        await test.Logs.WaitForAsync(line => line.Service == second);
        await test.Logs.WaitForAsync(line => line.Service == first);
        var firstLines = test.Logs.For(first);
        Assert.Equal("first got a", Assert.Single(firstLines).Message);
        var secondLine = Assert.Single(test.Logs.For(second));
        Assert.Equal(("second got b", LogLevel.Warning), (secondLine.Message, secondLine.Level));
        test.AssertNoFailures();
    }

    [Fact]
    public async Task AssertNoFailures_names_the_service_whose_coroutine_failed()
    {
        await using var test = new SkynetTestNode();
        var failing = await test.NewServiceAsync((self, message) => throw new InvalidOperationException("the dragon won"));
        test.Send(failing, "fight");
        await test.WaitForIdleAsync();

        var ex = Assert.Throws<UnhandledFailureException>(test.AssertNoFailures);
        var failure = Assert.Single(ex.Failures);
        Assert.Equal(failing, failure.Service);
        Assert.IsType<InvalidOperationException>(failure.Exception);
        Assert.Contains("the dragon won", ex.Message);
    }

    [Fact]
    public async Task The_node_is_not_idle_while_a_handler_runs()
    {
        await using var test = new SkynetTestNode();
        using var inHandler = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var busy = await test.NewServiceAsync((self, message) => { inHandler.Set(); release.Wait(); return default; });
        test.Send(busy, "work");
        Assert.True(inHandler.Wait(test.WaitTimeout));

        Assert.False(test.Node.IsQuiescent());
        release.Set();
        await test.WaitForIdleAsync();
        Assert.True(test.Node.IsQuiescent());
    }

    [Fact]
    public async Task Mail_waiting_in_a_mailbox_keeps_the_node_busy()
    {
        await using var test = new SkynetTestNode(options => options.Threads = 1);
        using var release = new ManualResetEventSlim();
        using var inHandler = new ManualResetEventSlim();
        var blocker = await test.NewServiceAsync((self, message) => { inHandler.Set(); release.Wait(); return default; });
        var probe = await test.NewProbeAsync();
        test.Send(blocker, "hold the only worker");
        Assert.True(inHandler.Wait(test.WaitTimeout));
        test.Send(probe.Self, "queued");

        Assert.False(test.Node.IsQuiescent());
        release.Set();
        await test.WaitForIdleAsync();
        Assert.Equal(1, probe.ReceivedCount);
    }

    [Fact]
    public async Task RunInside_gives_code_the_service_api_and_returns_its_result()
    {
        await using var test = new SkynetTestNode();
        var echo = await test.NewServiceAsync((self, message) => { self.Ret(message.Arg<string>(0) + "!"); return default; });
        var reply = await test.RunInsideAsync(async self => await self.Call(echo, "hi"));
        Assert.Equal("hi!", reply);
    }
}
