using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Core;

/// <summary>A forwarding module passes on the failure it got, with its kind, through the public responder.</summary>
public class ResponderFailTests
{
    [Fact]
    public async Task Fail_reaches_the_caller_with_its_kind_and_reason()
    {
        await using var t = new TestNode();
        var forwarder = await TestNode.Within(t.SpawnHandler((self, _) =>
        {
            self.Response().Fail(CallFailure.NodeDown, "cluster node [db] is down");
            return default;
        }));
        var error = await Assert.ThrowsAsync<CallFailedException>(() => TestNode.Within(t.Node.Call(forwarder, "get")));
        Assert.Equal(CallFailure.NodeDown, error.Failure);
        Assert.Contains("cluster node [db] is down", error.Message);
    }

    [Fact]
    public async Task Fail_answers_once_like_Respond()
    {
        await using var t = new TestNode();
        var second = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var target = await TestNode.Within(t.SpawnHandler((self, _) =>
        {
            var responder = self.Response();
            responder.Fail(CallFailure.Timeout, "late");
            second.SetResult(Record.Exception(() => responder.Fail(CallFailure.Timeout, "again")));
            return default;
        }));
        var error = await Assert.ThrowsAsync<CallFailedException>(() => TestNode.Within(t.Node.Call(target, "x")));
        Assert.Equal(CallFailure.Timeout, error.Failure);
        Assert.IsType<InvalidOperationException>(await TestNode.Within(second.Task));
    }
}
