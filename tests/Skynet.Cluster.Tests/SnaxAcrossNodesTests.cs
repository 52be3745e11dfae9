using MemoryPack;
using Skynet.Samples.ClusterNodes;

namespace Skynet.ClusterTests;

[MemoryPackable]
public sealed partial record Point(int X, int Y);

/// <summary>A snax service with skynet-style ids, served to other nodes.</summary>
[Service]
public sealed partial class Counter : Service
{
    readonly List<string> _notes = [];

    void OnInit() => SnaxCluster.EnableCluster(this);

    [Response, Id(5)] public int Add(int a, int b) => a + b;

    [Accept, Id(6)] public void Note(string text) => _notes.Add(text);

    [Response, Id(7)] public Point Move(Point p, int dx) => p with { X = p.X + dx };

    [Response, Id(8)] public async ValueTask<List<string>> Notes()
    {
        await Sleep(TimeSpan.FromMilliseconds(1));
        return _notes;
    }

    [Response, Id(9)] public string Fail() => throw new InvalidOperationException("throw an error");
}

/// <summary>Typed snax proxies across nodes, C# to C# (MemoryPack) and in skynet's Lua snax form.</summary>
public sealed class SnaxAcrossNodesTests : IAsyncLifetime
{
    readonly Node _server = new("db");
    readonly Node _client = new("client");
    Address _counter;

    public async Task InitializeAsync()
    {
        var counter = await Node.Within(Snax.NewService<Counter>(_server.Skynet));
        _counter = counter.Target;
        await Node.Within(_server.Cluster.PublishSnax("counter", _counter));
        var end = await Node.Within(_server.Cluster.Open(0, "127.0.0.1"));
        await Node.Within(_client.Cluster.Reload(ClusterCallTests.Map(("db", end.ToString()))));
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Theory]
    [InlineData(SnaxWireFormat.MemoryPack)]
    [InlineData(SnaxWireFormat.Lua)]
    public async Task Generated_Req_and_Post_work_across_nodes(SnaxWireFormat format)
    {
        var counter = await Node.Within(_client.Cluster.Snax<Counter>("db", "counter", format));
        Assert.Equal(5, await Node.Within(counter.Req.Add(2, 3)));
        counter.Post.Note("first");
        counter.Post.Note("second");
        Assert.Equal(["first", "second"], await Node.Within(counter.Req.Notes()));
        if (format == SnaxWireFormat.MemoryPack) Assert.Equal(new Point(11, 2), await Node.Within(counter.Req.Move(new Point(1, 2), 10)));
        var ex = await Assert.ThrowsAsync<CallFailedException>(() => Node.Within(counter.Req.Fail()));
        Assert.Contains("throw an error", ex.Reason);
    }

    [Fact]
    public async Task Works_from_inside_a_service_with_the_static_api()
    {
        var sum = await _client.Inside(async self =>
        {
            var counter = await Cluster.Snax<Counter>("db", "counter");
            return await counter.Req.Add(40, 2);
        });
        Assert.Equal(42, sum);
    }

    [Fact]
    public async Task A_Lua_snax_client_message_reaches_the_method_with_that_id()
    {
        // What skynet's clusterproxy sends for pingserver.req.ping: skynet.pack(id, args...) on the "lua" protocol.
        Assert.Equal(7L, await Node.Within(_client.Cluster.Call("db", _counter, 5L, 3L, 4L)));
        var ex = await Assert.ThrowsAsync<CallFailedException>(() => Node.Within(_client.Cluster.Call("db", _counter, 77L)));
        Assert.Contains("77", ex.Reason);
    }

    [Fact]
    public async Task The_service_directory_answers_skynet_QUERY_snaxd()
    {
        Assert.Equal((long)_counter.Value, await Node.Within(_client.Cluster.Call("db", ".service", "QUERY", "snaxd", "counter")));
        await Assert.ThrowsAsync<CallFailedException>(() => Node.Within(_client.Cluster.Call("db", ".service", "QUERY", "snaxd", "nothing")));
    }

    [Fact]
    public async Task The_ported_pingserver_answers_ping_in_the_Lua_form()
    {
        var ping = await Node.Within(Snax.UniqueService<PingServer>(_server.Skynet));
        await Node.Within(_server.Cluster.PublishSnax("pingserver", ping.Target));
        var proxy = await Node.Within(_client.Cluster.Snax<PingServer>("db", "pingserver", SnaxWireFormat.Lua));
        Assert.Equal("hello", await Node.Within(proxy.Req.Ping("hello")));
    }

    [Fact]
    public async Task GlobalService_launches_once_and_is_found_from_another_node()
    {
        var first = await Node.Within(GlobalService<Counter>.Launch(_server.Skynet, "global-counter"));
        var again = await Node.Within(GlobalService<Counter>.Launch(_server.Skynet, "global-counter"));
        Assert.Equal(first.Target, again.Target);
        Assert.Equal(first.Target, _server.Cluster.Registered("global-counter"));
        var remote = await Node.Within(GlobalService<Counter>.Query(_client.Skynet, "db", "global-counter"));
        Assert.Equal(9, await Node.Within(remote.Req.Add(4, 5)));
        Assert.Equal(first.Target, await Node.Within(_client.Cluster.Query("db", "global-counter")));
    }
}
