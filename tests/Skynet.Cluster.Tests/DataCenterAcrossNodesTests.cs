using Microsoft.Extensions.Configuration;

namespace Skynet.ClusterTests;

/// <summary>
/// A cluster-wide datacenter: node "master" serves it (skynet's datacenterd on the master), node "b" uses it through
/// the cluster, both in one process over 127.0.0.1 (port 0).
/// </summary>
public sealed class DataCenterAcrossNodesTests : IAsyncLifetime
{
    readonly Node _master = new("master");
    readonly Node _b = new("b");
    DataCenterClient Master => DataCenter.On(_master.Skynet);
    DataCenterClient B => DataCenter.On(_b.Skynet);

    public async Task InitializeAsync()
    {
        var port = (await Node.Within(_master.Cluster.Open(0, "127.0.0.1"))).Port;
        await Node.Within(_b.Cluster.Reload(ClusterCallTests.Map(("master", $"127.0.0.1:{port}"))));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(DataCenterClient.ConfigurationKey, "master")]).Build();
        await Node.Within(Master.Configure(configuration));
        await Node.Within(B.Configure(configuration));
    }

    public async Task DisposeAsync()
    {
        await _b.DisposeAsync();
        await _master.DisposeAsync();
    }

    [Fact]
    public async Task Configuration_names_the_serving_node()
    {
        Assert.Null(Master.ClusterNode);          // the master serves itself
        Assert.Equal("master", B.ClusterNode);
        Assert.NotNull(_master.Skynet.LocalName(DataCenterService.LocalServiceName));
        Assert.Null(_b.Skynet.LocalName(DataCenterService.LocalServiceName)); // b runs no datacenter of its own
    }

    [Fact]
    public async Task Set_on_one_node_is_read_on_the_other_and_integer_keys_are_one_key()
    {
        Assert.Null(await Node.Within(B.Set("multicast", 1, "channel-a")));
        Assert.Equal("channel-a", await Node.Within(Master.Get("multicast", 1)));
        Assert.Equal("channel-a", await Node.Within(Master.Get("multicast", 1L)));
        Assert.Equal("channel-a", await Node.Within(Master.Set("multicast", 1, "channel-b")));   // the old value
        Assert.Equal("channel-b", await Node.Within(B.Get<string>("multicast", 1L)));
        Assert.Equal("channel-b", await Node.Within(B.Set("multicast", 1, null)));               // null removes
        Assert.Null(await Node.Within(Master.Get("multicast", 1)));
    }

    [Fact]
    public async Task A_branch_read_across_nodes_is_the_same_read_only_snapshot_shape()
    {
        await Node.Within(Master.Set("players", "alice", 10L));
        await Node.Within(B.Set("players", "bob", 20L));
        await Node.Within(Master.Set("players", "zone", 3, "north"));
        var local = Assert.IsAssignableFrom<IReadOnlyDictionary<object, object?>>(await Node.Within(Master.Get("players")));
        var remote = Assert.IsAssignableFrom<IReadOnlyDictionary<object, object?>>(await Node.Within(B.Get("players")));
        Assert.Equal(3, remote.Count);
        Assert.Equal(local["alice"], remote["alice"]);
        Assert.Equal(20L, remote["bob"]);
        var zone = Assert.IsAssignableFrom<IReadOnlyDictionary<object, object?>>(remote["zone"]);
        Assert.Equal("north", zone[3L]);
    }

    [Fact]
    public async Task A_wait_on_one_node_completes_when_another_node_sets_the_key()
    {
        var waiting = B.Wait("room", 7);
        // The wait and this read travel in order on b's one connection and reach the datacenter in that order:
        // once the read is answered, the wait is parked there.
        Assert.Null(await Node.Within(B.Get("room", 8)));
        Assert.False(waiting.IsCompleted);
        await Node.Within(Master.Set("room", 7, "open"));
        Assert.Equal("open", await Node.Within(waiting));
        Assert.Equal("open", await Node.Within(B.Wait("room", 7)));              // already set: at once
    }

    [Fact]
    public async Task A_wait_across_nodes_with_a_timeout_fails_with_TimeoutException_and_later_sets_still_work()
    {
        await Assert.ThrowsAsync<TimeoutException>(() => Node.Within(B.Wait(["never"], TimeSpan.FromMilliseconds(50))));
        var withTime = B.Wait(["later"], TimeSpan.FromSeconds(60));
        Assert.Null(await Node.Within(B.Get("later-probe")));
        await Node.Within(B.Set("later", 5L));
        Assert.Equal(5L, await Node.Within(withTime));
    }

    [Fact]
    public async Task Waits_fail_with_NodeDown_when_the_serving_node_goes_down()
    {
        var waiting = B.Wait("forever");
        Assert.Null(await Node.Within(B.Get("probe")));
        await _master.Skynet.StopAsync(TimeSpan.FromSeconds(2));
        var ex = await Assert.ThrowsAsync<CallFailedException>(() => Node.Within(waiting));
        // Either the dropped connection or the abandoned request (the datacenter exited with the node) ends it first.
        Assert.True(ex.Failure == CallFailure.NodeDown || ex.Reason.Contains("exit", StringComparison.OrdinalIgnoreCase), ex.Message);
        var next = await Assert.ThrowsAsync<CallFailedException>(() => Node.Within(B.Get("probe")));
        Assert.Equal(CallFailure.NodeDown, next.Failure);
    }

    [Fact]
    public async Task Bad_requests_from_the_network_fail_that_call_and_the_datacenter_serves_on()
    {
        var empty = await Assert.ThrowsAsync<CallFailedException>(() => Node.Within(_b.Cluster.Call("master", DataCenterService.LocalServiceName, "QUERY")));
        Assert.Equal(CallFailure.Refused, empty.Failure);
        var nilKey = await Assert.ThrowsAsync<CallFailedException>(() => Node.Within(_b.Cluster.Call("master", DataCenterService.LocalServiceName, "QUERY", "a", null)));
        Assert.Equal(CallFailure.Refused, nilKey.Failure);
        var badTime = await Assert.ThrowsAsync<CallFailedException>(() => Node.Within(_b.Cluster.Call("master", DataCenterService.LocalServiceName, "WAIT_FOR", -1L, "a")));
        Assert.Equal(CallFailure.Refused, badTime.Failure);
        var unknown = await Assert.ThrowsAsync<CallFailedException>(() => Node.Within(_b.Cluster.Call("master", DataCenterService.LocalServiceName, "DROP_ALL")));
        Assert.Equal(CallFailure.Refused, unknown.Failure);
        // skynet's own flat form, as a Lua node would send it:
        Assert.Null(await Node.Within(_b.Cluster.Call("master", DataCenterService.LocalServiceName, "UPDATE", "lua", "key", 1L)));
        Assert.Equal(1L, await Node.Within(Master.Get("lua", "key")));
    }
}
