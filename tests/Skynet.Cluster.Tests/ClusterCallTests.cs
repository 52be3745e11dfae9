using Microsoft.Extensions.Configuration;
namespace Skynet.ClusterTests;

/// <summary>Two nodes in one process over 127.0.0.1: calls, sends, names, proxies, queries and failures.</summary>
public sealed class ClusterCallTests : IAsyncLifetime
{
    readonly Node _server = new("db");
    readonly Node _client = new("client");
    readonly Dictionary<string, string?> _db = [];
    readonly List<string> _pings = [];
    readonly TaskCompletionSource<string> _lastPing = new(TaskCreationOptions.RunContinuationsAsynchronously);
    Address _sdb;
    int _port;

    public async Task InitializeAsync()
    {
        _sdb = await _server.Spawn(SimpleDb);
        _server.Skynet.Name(".simpledb", _sdb);
        _server.Cluster.Register("sdb", _sdb);
        _port = (await Node.Within(_server.Cluster.Open(0, "127.0.0.1"))).Port;
        await Node.Within(_client.Cluster.Reload(Map(("db", $"127.0.0.1:{_port}"))));
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    internal static KeyValuePair<string, object?>[] Map(params (string Key, object? Value)[] entries) =>
        [.. entries.Select(e => new KeyValuePair<string, object?>(e.Key, e.Value))];

    // examples/simpledb.lua, on the "lua" protocol.
    ValueTask SimpleDb(LuaService self, Message message)
    {
        var args = (object?[])message.Payload!;
        switch (((string)args[0]!).ToUpperInvariant())
        {
            case "PING":
                lock (_pings) _pings.Add((string)args[1]!);
                if (((string)args[1]!).StartsWith("last", StringComparison.Ordinal)) _lastPing.TrySetResult((string)args[1]!);
                return default;
            case "GET":
                self.Ret(_db.GetValueOrDefault((string)args[1]!));
                return default;
            case "SET":
                var last = _db.GetValueOrDefault((string)args[1]!);
                _db[(string)args[1]!] = (string?)args[2];
                self.Ret(last);
                return default;
            case "PAIR":
                self.Ret(new object?[] { "a", 2L, null, true });
                return default;
            case "HOLD":
                _ = self.Response(); // never answered: the caller waits until its connection drops or it times out
                return default;
            default:
                throw new InvalidOperationException($"Unknown command {args[0]}");
        }
    }

    [Fact]
    public async Task Call_by_registered_name_numeric_handle_and_local_name()
    {
        Assert.Null(await Node.Within(_client.Cluster.Call("db", "@sdb", "SET", "a", "foobar")));
        Assert.Equal("foobar", await Node.Within(_client.Cluster.Call("db", "@sdb", "GET", "a")));
        Assert.Equal("foobar", await Node.Within(_client.Cluster.Call("db", _sdb, "GET", "a")));
        Assert.Equal("foobar", await Node.Within(_client.Cluster.Call("db", ".simpledb", "GET", "a")));
        var several = Assert.IsType<object?[]>(await Node.Within(_client.Cluster.Call("db", "@sdb", "PAIR")));
        Assert.Equal(new object?[] { "a", 2L, null, true }, several);
    }

    [Fact]
    public async Task Calls_from_inside_a_service_with_the_static_api()
    {
        var value = await _client.Inside(async self =>
        {
            await Cluster.Call("db", "@sdb", "SET", "b", "foobar2");
            return await Cluster.Call("db", "@sdb", "GET", "b");
        });
        Assert.Equal("foobar2", value);
    }

    [Fact]
    public async Task Large_key_and_value_go_through_the_multi_part_path_both_ways()
    {
        var key = new string('X', 128 * 1024);
        var value = new string('R', 100 * 1024);
        await Node.Within(_client.Cluster.Call("db", "@sdb", "SET", key, value));
        Assert.Equal(value, await Node.Within(_client.Cluster.Call("db", "@sdb", "GET", key)));
    }

    [Fact]
    public async Task Sends_arrive_in_order_including_a_multi_part_push()
    {
        for (var i = 0; i < 20; i++) _client.Cluster.Send("db", "@sdb", "PING", $"p{i}");
        _client.Cluster.Send("db", "@sdb", "PING", "longstring" + new string('R', 100 * 1024));
        _client.Cluster.Send("db", "@sdb", "PING", "last");
        await Node.Within(_lastPing.Task);
        lock (_pings)
        {
            Assert.Equal([.. Enumerable.Range(0, 20).Select(i => $"p{i}")], _pings.Take(20));
            Assert.Equal(10 + 100 * 1024, _pings[20].Length);
        }
    }

    [Fact]
    public async Task Sends_made_while_the_sender_reconnects_keep_their_order()
    {
        Assert.Null(await Node.Within(_client.Cluster.Call("db", "@sdb", "GET", "warm")));
        await Node.Within(_client.Cluster.Reload(Map(("db", false))));
        await Node.Within(_client.Cluster.Reload(Map(("db", $"127.0.0.1:{_port}"))));
        for (var i = 0; i < 200; i++) _client.Cluster.Send("db", "@sdb", "PING", $"r{i}");
        _client.Cluster.Send("db", "@sdb", "PING", "last");
        await Node.Within(_lastPing.Task);
        lock (_pings) Assert.Equal([.. Enumerable.Range(0, 200).Select(i => $"r{i}"), "last"], _pings);
    }

    [Fact]
    public async Task Query_returns_the_registered_handle_or_fails()
    {
        Assert.Equal(_sdb, await Node.Within(_client.Cluster.Query("db", "sdb")));
        var ex = await Assert.ThrowsAsync<CallFailedException>(() => Node.Within(_client.Cluster.Query("db", "nobody")));
        Assert.Contains("name not found", ex.Reason);
    }

    [Fact]
    public async Task Proxy_forwards_calls_and_sends()
    {
        var proxy = await Node.Within(_client.Cluster.Proxy("db@sdb"));
        Assert.Equal(proxy, await Node.Within(_client.Cluster.Proxy("db", "@sdb")));
        await Node.Within(_client.Skynet.Call(proxy, "SET", "k", "v"));
        Assert.Equal("v", await Node.Within(_client.Skynet.Call(proxy, "GET", "k")));
        _client.Skynet.Send(proxy, "PING", "last-proxy");
        Assert.Equal("last-proxy", await Node.Within(_lastPing.Task));
    }

    [Fact]
    public async Task A_remote_error_fails_the_call_with_the_reason()
    {
        var unknown = await Assert.ThrowsAsync<CallFailedException>(() => Node.Within(_client.Cluster.Call("db", "@nobody", "GET", "a")));
        Assert.Contains("Invalid name", unknown.Reason);
        var failed = await Assert.ThrowsAsync<CallFailedException>(() => Node.Within(_client.Cluster.Call("db", "@sdb", "NOPE")));
        Assert.Contains("Unknown command NOPE", failed.Reason);
    }

    [Fact]
    public async Task A_node_mapped_to_false_fails_at_once_and_comes_back()
    {
        Assert.Null(await Node.Within(_client.Cluster.Call("db", "@sdb", "GET", "zz")));
        await Node.Within(_client.Cluster.Reload(Map(("db", false))));
        var ex = await Assert.ThrowsAsync<CallFailedException>(() => Node.Within(_client.Cluster.Call("db", "@sdb", "GET", "a")));
        Assert.Equal(CallFailure.NodeDown, ex.Failure);
        Assert.Contains("offline", ex.Reason);
        await Node.Within(_client.Cluster.Reload(Map(("db", $"127.0.0.1:{_port}"))));
        Assert.Null(await Node.Within(_client.Cluster.Call("db", "@sdb", "GET", "zz")));
    }

    [Fact]
    public async Task A_node_that_is_down_fails_with_NodeDown()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await Node.Within(_client.Cluster.Reload(Map(("gone", $"127.0.0.1:{closedPort}"))));
        var ex = await Assert.ThrowsAsync<CallFailedException>(() => Node.Within(_client.Cluster.Call("gone", "@sdb", "GET", "a")));
        Assert.Equal(CallFailure.NodeDown, ex.Failure);
    }

    [Fact]
    public async Task A_call_in_flight_fails_with_NodeDown_when_the_connection_drops()
    {
        using var peer = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        peer.Start();
        await Node.Within(_client.Cluster.Reload(Map(("dying", $"127.0.0.1:{((System.Net.IPEndPoint)peer.LocalEndpoint).Port}"))));
        var held = _client.Cluster.Call("dying", "@sdb", "HOLD").AsTask();
        using (var accepted = await Node.Within(peer.AcceptSocketAsync()))
        {
            var request = new byte[64];
            await Node.Within(accepted.ReceiveAsync(request.AsMemory(), System.Net.Sockets.SocketFlags.None).AsTask()); // the request is on the wire
        }
        var ex = await Assert.ThrowsAsync<CallFailedException>(() => Node.Within(held));
        Assert.Equal(CallFailure.NodeDown, ex.Failure);
        Assert.Contains("lost", ex.Reason);
    }

    [Fact]
    public async Task A_call_in_flight_fails_when_the_node_stops()
    {
        Assert.Null(await Node.Within(_client.Cluster.Call("db", "@sdb", "GET", "warm")));
        var held = _client.Cluster.Call("db", "@sdb", "HOLD").AsTask();
        await Node.Within(_server.Logs.WaitFor("socket accept"));
        await _server.Skynet.StopAsync(TimeSpan.FromSeconds(2));
        // Either the dropped connection (NodeDown) or the held request's abandonment (the callee exited) ends it first.
        var ex = await Assert.ThrowsAsync<CallFailedException>(() => Node.Within(held));
        Assert.True(ex.Failure == CallFailure.NodeDown || ex.Reason.Contains("exit", StringComparison.OrdinalIgnoreCase), ex.Message);
    }

    [Fact]
    public async Task The_call_timeout_option_ends_a_call_that_gets_no_reply()
    {
        _client.Cluster.Options.CallTimeout = TimeSpan.FromMilliseconds(200);
        var ex = await Assert.ThrowsAsync<CallFailedException>(() => Node.Within(_client.Cluster.Call("db", "@sdb", "HOLD")));
        Assert.Equal(CallFailure.Timeout, ex.Failure);
        _client.Cluster.Options.CallTimeout = null;
        Assert.Null(await Node.Within(_client.Cluster.Call("db", "@sdb", "GET", "after")));
    }

    [Fact]
    public async Task An_absent_node_fails_at_once_with_nowaiting()
    {
        await Node.Within(_client.Cluster.Reload(Map(("__nowaiting", true))));
        var ex = await Assert.ThrowsAsync<CallFailedException>(() => Node.Within(_client.Cluster.Call("nowhere", "@sdb", "GET", "a")));
        Assert.Contains("absent", ex.Reason);
    }

    [Fact]
    public async Task An_absent_node_is_waited_for_until_a_reload_names_it()
    {
        var pending = _client.Cluster.Call("late", "@sdb", "SET", "late", "yes").AsTask();
        await _client.Logs.WaitFor("Waiting for cluster node [late]");
        Assert.False(pending.IsCompleted);
        await Node.Within(_client.Cluster.Reload(Map(("late", $"127.0.0.1:{_port}"))));
        Assert.Null(await Node.Within(pending));
        Assert.Equal("yes", _db["late"]);
    }

    [Fact]
    public async Task Register_moves_a_service_name_and_unregister_removes_it()
    {
        Assert.Throws<InvalidOperationException>(() => _server.Cluster.Register("sdb", _sdb));
        _server.Cluster.Unregister("sdb");
        Assert.Null(_server.Cluster.Registered("sdb"));
        _server.Cluster.Register("sdb", _sdb);
        _server.Cluster.Register("sdb2", _sdb);
        Assert.Null(_server.Cluster.Registered("sdb"));
        Assert.Equal(_sdb, _server.Cluster.Registered("sdb2"));
    }

    [Fact]
    public async Task The_map_is_read_from_Skynet_Cluster_and_re_read_when_the_configuration_changes()
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Skynet:Cluster:other"] = "false" })
            .Build();
        using var watch = _client.Cluster.Watch(configuration);
        var pending = _client.Cluster.Call("configured", "@sdb", "SET", "configured", "yes").AsTask();
        await _client.Logs.WaitFor("Waiting for cluster node [configured]");
        foreach (var provider in configuration.Providers) provider.Set("Skynet:Cluster:configured", $"127.0.0.1:{_port}");
        configuration.Reload();
        Assert.Null(await Node.Within(pending));
        Assert.Equal("yes", _db["configured"]);
    }

    [Fact]
    public async Task A_hosted_node_takes_its_cluster_map_from_Skynet_Cluster()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new Microsoft.Extensions.Hosting.HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Skynet:Threads"] = "1",
            ["Skynet:Cluster:db"] = $"127.0.0.1:{_port}",
            ["Skynet:Cluster:offline"] = "false",
        });
        builder.AddSkynet();
        using var host = builder.Build();
        await Node.Within(host.StartAsync());
        var hosted = Cluster.For(Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<SkynetNode>(host.Services));
        Assert.Null(await Node.Within(hosted.Call("db", "@sdb", "SET", "hosted", "yes")));
        Assert.Equal("yes", _db["hosted"]);
        var offline = await Assert.ThrowsAsync<CallFailedException>(() => Node.Within(hosted.Call("offline", "@sdb", "GET", "hosted")));
        Assert.Equal(CallFailure.NodeDown, offline.Failure);
        await Node.Within(host.StopAsync());
    }
}
