using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.DataCenter;

public class DataCenterTests
{
    [Fact]
    public async Task Values_live_under_hierarchical_keys_and_set_returns_the_old_one()
    {
        await using var node = new TestNode();
        var dc = Skynet.DataCenter.On(node.Node);

        Assert.Null(await dc.Set("config", "port", 8888));
        Assert.Null(await dc.Set("config", "host", "127.0.0.1"));
        Assert.Null(await dc.Set("multicast", 1, ":01000005"));
        Assert.Equal(8888, await dc.Set("config", "port", 9999));

        Assert.Equal(9999, await dc.Get("config", "port"));
        Assert.Equal("127.0.0.1", await dc.Get<string>("config", "host"));
        Assert.Equal(":01000005", await dc.Get("multicast", 1));
        Assert.Equal(":01000005", await dc.Get("multicast", 1L)); // one integer key, as in Lua (and after crossing the cluster)
        Assert.Null(await dc.Get("config", "port", "deeper"));
        Assert.Null(await dc.Get("nothing"));

        Assert.Equal("127.0.0.1", await dc.Set("config", "host", null)); // null removes
        Assert.Null(await dc.Get("config", "host"));
    }

    [Fact]
    public async Task A_branch_reads_back_as_an_immutable_snapshot()
    {
        await using var node = new TestNode();
        var dc = Skynet.DataCenter.On(node.Node);
        await dc.Set("players", "ann", "level 3");
        await dc.Set("players", "guild", "name", "red");

        var snapshot = Assert.IsAssignableFrom<IReadOnlyDictionary<object, object?>>(await dc.Get("players"));
        await dc.Set("players", "bob", "level 1");

        Assert.Equal(2, snapshot.Count);
        Assert.Equal("level 3", snapshot["ann"]);
        Assert.Equal("red", Assert.IsAssignableFrom<IReadOnlyDictionary<object, object?>>(snapshot["guild"])["name"]);
        Assert.Equal(3, ((IReadOnlyDictionary<object, object?>)(await dc.Get("players"))!).Count);
        Assert.Throws<NotSupportedException>(() => ((IDictionary<object, object?>)snapshot)["x"] = 1);
    }

    [Fact]
    public async Task Wait_completes_when_another_service_sets_the_key()
    {
        await using var node = new TestNode();
        await Skynet.DataCenter.Start(node.Node);
        // With the service running, each WAIT is queued before Wait returns: both are waiting when the Set comes.
        var waiting = Skynet.DataCenter.On(node.Node).Wait("room", 7, "owner");
        var branchWaiting = Skynet.DataCenter.On(node.Node).Wait("room", 7);
        Assert.False(waiting.IsCompleted);

        await node.Inside(async self => await Skynet.DataCenter.Set("room", 7, "owner", "ann"));

        Assert.Equal("ann", await TestNode.Within(waiting));
        var branch = Assert.IsAssignableFrom<IReadOnlyDictionary<object, object?>>(await TestNode.Within(branchWaiting));
        Assert.Equal("ann", branch["owner"]);
        Assert.Equal("ann", await Skynet.DataCenter.On(node.Node).Wait("room", 7, "owner")); // already set: at once
    }

    [Fact]
    public async Task Wait_with_a_timeout_fails_with_TimeoutException_and_leaves_nothing_behind()
    {
        await using var node = new TestNode();
        var dc = Skynet.DataCenter.On(node.Node);

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => dc.Wait(["never"], TimeSpan.FromMilliseconds(20)));
        Assert.Contains("never", ex.Message);

        var later = dc.Wait(["never"], TimeSpan.FromSeconds(30));
        await dc.Set("never", "now");
        Assert.Equal("now", await TestNode.Within(later));
    }

    [Fact]
    public async Task Bad_paths_get_clear_errors()
    {
        await using var node = new TestNode();
        var dc = Skynet.DataCenter.On(node.Node);
        await dc.Set("leaf", 1);

        await Assert.ThrowsAsync<ArgumentException>(() => dc.Get());
        await Assert.ThrowsAsync<ArgumentException>(() => dc.Set("only-a-key"));
        await Assert.ThrowsAsync<ArgumentException>(() => dc.Set("a", null!, 1));
        var below = await Assert.ThrowsAsync<CallFailedException>(() => dc.Set("leaf", "child", 2));
        Assert.Contains("holds a value, not a branch", below.Message);
        await Assert.ThrowsAsync<InvalidCastException>(() => dc.Get<string>("leaf"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Skynet.DataCenter.Get("outside"));
    }

    [Fact]
    public async Task A_killed_datacenter_is_started_again_on_next_use_empty()
    {
        await using var node = new TestNode();
        var dc = Skynet.DataCenter.On(node.Node);
        await dc.Set("k", "v");
        var first = node.Node.LocalName(DataCenterService.LocalServiceName)!.Value;

        node.Node.Kill(first);
        await TestNode.Within(node.Node.WhenGone(first));

        Assert.Null(await dc.Get("k")); // a new, empty datacenter: the data lived in the killed service, as in skynet
        await dc.Set("k", "again");
        Assert.Equal("again", await dc.Get("k"));
        Assert.NotEqual(first, node.Node.LocalName(DataCenterService.LocalServiceName));
    }
}
