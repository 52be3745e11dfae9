namespace SnaxTests;

/// <summary>A service with a request that is never answered and one that is.</summary>
[Service]
public sealed partial class Sloth : Service
{
    [Response] public async ValueTask<string> Hang()
    {
        await Wait(new object()); // nobody wakes it
        return "never";
    }

    [Response] public string Quick(int n) => "quick " + n;
}

public class CallOptionsTests
{
    [Fact]
    public async Task A_typed_request_with_a_timeout_fails_with_Timeout_instead_of_hanging()
    {
        await using var t = new TestNode();
        var sloth = await TestNode.Within(Snax.NewService<Sloth>(t.Node));
        var outside = await Assert.ThrowsAsync<CallFailedException>(() => TestNode.Within(sloth.WithTimeout(TimeSpan.FromMilliseconds(50)).Req.Hang()));
        Assert.Equal(CallFailure.Timeout, outside.Failure);
        var inside = await t.Inside(async _ =>
            await Assert.ThrowsAsync<CallFailedException>(async () => await sloth.WithTimeout(TimeSpan.FromMilliseconds(50)).Req.Hang()));
        Assert.Equal(CallFailure.Timeout, inside.Failure);
        Assert.Equal(sloth.Target, inside.Target);
    }

    [Fact]
    public async Task A_typed_request_can_be_cancelled()
    {
        await using var t = new TestNode();
        var sloth = await TestNode.Within(Snax.NewService<Sloth>(t.Node));
        using var cts = new CancellationTokenSource();
        var inside = t.Inside(async _ =>
        {
            var pending = sloth.WithCancellation(cts.Token).Req.Hang();
            cts.Cancel();
            return await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pending);
        });
        Assert.Equal(cts.Token, (await inside).CancellationToken);

        using var outsideCts = new CancellationTokenSource();
        var outside = sloth.WithCancellation(outsideCts.Token).Req.Hang();
        outsideCts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TestNode.Within(outside));
    }

    [Fact]
    public async Task Options_make_a_new_proxy_and_leave_the_original_alone()
    {
        await using var t = new TestNode();
        var sloth = await TestNode.Within(Snax.NewService<Sloth>(t.Node));
        var limited = sloth.WithTimeout(TimeSpan.FromSeconds(5));
        Assert.Null(sloth.CallTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), limited.CallTimeout);
        Assert.Equal(sloth.Target, limited.Target);
        Assert.Equal("quick 3", await TestNode.Within(limited.Req.Quick(3)));
    }

    [Fact]
    public async Task The_node_wide_call_timeout_applies_to_typed_requests_without_their_own()
    {
        var node = new SkynetNode(new SkynetOptions { Threads = 2, CallTimeout = TimeSpan.FromMilliseconds(50) });
        node.Start();
        try
        {
            var sloth = await TestNode.Within(Snax.NewService<Sloth>(node));
            var error = await Assert.ThrowsAsync<CallFailedException>(() => TestNode.Within(sloth.Req.Hang()));
            Assert.Equal(CallFailure.Timeout, error.Failure);
            Assert.Equal("quick 1", await TestNode.Within(sloth.Req.Quick(1)));
        }
        finally
        {
            await node.StopAsync(TimeSpan.FromSeconds(2));
        }
    }
}
