namespace Skynet.ClusterTests;

/// <summary>
/// Calls and sends made inside a service, mixed in one turn and across a reconnection: the order on the wire, each
/// caller's own reply, a caller gone before its reply, NodeDown and the call timeout. (They guard any shortcut on the
/// call path; one, callers writing their frames themselves, was measured and left out: docs/benchmarks.md.)
/// </summary>
public sealed class InServiceCallTests : IAsyncLifetime
{
    readonly Node _server = new("db");
    readonly Node _client = new("client");
    readonly List<long> _seen = [];
    readonly TaskCompletionSource _lastSeen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly TaskCompletionSource<Responder> _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    int _port;

    public async Task InitializeAsync()
    {
        // "REC n": records n (push or call) and answers n; "LAST": sets _lastSeen; "HOLD": answered by the test.
        var recorder = await _server.Spawn((self, message) =>
        {
            var args = (object?[])message.Payload!;
            switch ((string)args[0]!)
            {
                case "REC":
                    lock (_seen) _seen.Add((long)args[1]!);
                    if (message.Session != 0) self.Ret(args.Length > 2 ? new object?[] { args[1], args[2] } : args[1]);
                    break;
                case "LAST":
                    _lastSeen.TrySetResult();
                    if (message.Session != 0) self.Ret("last");
                    break;
                case "HOLD":
                    _held.TrySetResult(self.Response());
                    break;
            }
            return default;
        });
        _server.Cluster.Register("rec", recorder);
        _port = (await Node.Within(_server.Cluster.Open(0, "127.0.0.1"))).Port;
        await Node.Within(_client.Cluster.Reload(ClusterCallTests.Map(("db", $"127.0.0.1:{_port}"))));
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Calls_and_sends_from_one_turn_keep_their_order_while_the_connection_comes_up()
    {
        const int count = 300;
        var replies = await _client.Inside(async self =>
        {
            Assert.Equal("last", await Cluster.Call("db", "@rec", "LAST")); // the sender is known (and connected)
            await Cluster.For(self.Node).Reload(ClusterCallTests.Map(("db", false)));
            await Cluster.For(self.Node).Reload(ClusterCallTests.Map(("db", $"127.0.0.1:{_port}"))); // known, not connected
            var calls = new List<(long N, ValueTask<object?> Reply)>();
            for (long i = 0; i < count; i++)
            {
                // The connection comes up on another worker while this turn goes on: the first requests wait in
                // the sender for it, the later ones may find it up; none may overtake another (calls and pushes mixed).
                if (i >= 10 && i != 100 && (i < 150 || i >= 160)) Cluster.Send("db", "@rec", "REC", i);
                else if (i == 100) calls.Add((i, Cluster.Call("db", "@rec", "REC", i, new string('L', 100 * 1024)))); // multi-part
                else calls.Add((i, Cluster.Call("db", "@rec", "REC", i)));
            }
            var results = new List<(long, object?)>();
            foreach (var (n, reply) in calls) results.Add((n, await reply));
            return results;
        });
        foreach (var (n, reply) in replies)
            Assert.Equal(n == 100 ? new object?[] { 100L, new string('L', 100 * 1024) } : n, reply);
        lock (_seen) Assert.Equal(Enumerable.Range(0, count).Select(i => (long)i), _seen);
    }

    [Fact]
    public async Task Sends_after_a_call_that_waited_for_the_connection_keep_their_order()
    {
        const int count = 100;
        await _client.Inside(async self =>
        {
            Assert.Equal("last", await Cluster.Call("db", "@rec", "LAST"));
            await Cluster.For(self.Node).Reload(ClusterCallTests.Map(("db", false)));
            await Cluster.For(self.Node).Reload(ClusterCallTests.Map(("db", $"127.0.0.1:{_port}")));
            Assert.Equal(-1L, await Cluster.Call("db", "@rec", "REC", -1L)); // through the sender: it waited for the connection
            for (long i = 0; i < count; i++) Cluster.Send("db", "@rec", "REC", i); // the first may be posted, the rest must follow it
            return await Cluster.Call("db", "@rec", "REC", (long)count);
        });
        lock (_seen) Assert.Equal(Enumerable.Range(-1, count + 2).Select(i => (long)i), _seen);
    }

    [Fact]
    public async Task Many_coroutines_calling_at_once_each_get_their_own_reply()
    {
        const int callers = 32, each = 40;
        var done = await _client.Inside(async self =>
        {
            var tasks = new List<Task<int>>();
            for (var c = 0; c < callers; c++)
            {
                var caller = c;
                var finished = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
                self.Fork(async () =>
                {
                    try
                    {
                        for (var i = 0; i < each; i++)
                        {
                            long n = caller * 1000 + i;
                            Assert.Equal(n, await Cluster.Call("db", "@rec", "REC", n));
                        }
                        finished.TrySetResult(each);
                    }
                    catch (Exception ex) { finished.TrySetException(ex); }
                });
                tasks.Add(finished.Task);
            }
            return (await Task.WhenAll(tasks).WaitAsync(Node.Patience)).Sum();
        });
        Assert.Equal(callers * each, done);
    }

    [Fact]
    public async Task A_caller_that_exited_before_its_reply_does_not_harm_the_node()
    {
        await _client.Inside(async self => await Cluster.Call("db", "@rec", "LAST")); // connected
        var caller = await _client.Skynet.NewService(new LuaService(null, self => self.Fork(async () => await Cluster.Call("db", "@rec", "HOLD"))));
        var responder = await Node.Within(_held.Task);
        _client.Skynet.Kill(caller);
        await Node.Within(_client.Skynet.WhenGone(caller));
        responder.Respond(true, new object?[] { "late" }); // the reply comes back to a caller that is gone
        Assert.Equal(7L, await _client.Inside(async _ => await Cluster.Call("db", "@rec", "REC", 7L)));
        Assert.DoesNotContain(_client.Logs.Lines, line => line.Contains("bad data", StringComparison.Ordinal) || line.Contains("connection failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_call_fails_with_NodeDown_when_the_connection_drops_and_the_next_one_reconnects()
    {
        using var relay = new TcpRelay(_port);
        await Node.Within(_client.Cluster.Reload(ClusterCallTests.Map(("db", $"127.0.0.1:{relay.Port}"))));
        var failure = await _client.Inside(async self =>
        {
            await Cluster.Call("db", "@rec", "LAST");
            var held = Cluster.Call("db", "@rec", "HOLD").AsTask();
            await _held.Task.WaitAsync(Node.Patience); // the request arrived
            relay.Cut(refuse: false);
            var ex = await Assert.ThrowsAsync<CallFailedException>(() => held.WaitAsync(Node.Patience));
            Assert.Equal(7L, await Cluster.Call("db", "@rec", "REC", 7L));
            return ex.Failure;
        });
        Assert.Equal(CallFailure.NodeDown, failure);
    }

    [Fact]
    public async Task A_call_times_out_with_the_call_timeout_option()
    {
        _client.Cluster.Options.CallTimeout = TimeSpan.FromMilliseconds(200);
        var failure = await _client.Inside(async self =>
        {
            await Cluster.Call("db", "@rec", "LAST");
            var ex = await Assert.ThrowsAsync<CallFailedException>(async () => await Cluster.Call("db", "@rec", "HOLD"));
            return ex.Failure;
        });
        Assert.Equal(CallFailure.Timeout, failure);
        (await Node.Within(_held.Task)).Respond(true, new object?[] { "late" }); // a reply after the timeout is dropped
        _client.Cluster.Options.CallTimeout = null;
        Assert.Equal(8L, await _client.Inside(async _ => await Cluster.Call("db", "@rec", "REC", 8L)));
    }
}
