namespace Skynet.ClusterTests;

/// <summary>
/// Multicast across two nodes whose cluster connections go through <see cref="TcpRelay"/>s: a broken connection
/// (not a stopped node) pauses deliveries toward the peer, publishes meanwhile are dropped, counted and logged, and
/// deliveries resume when the connection comes back; a dead peer does not hold up local delivery; a restarted peer is
/// told from a reconnected one.
/// </summary>
public sealed class MulticastReconnectTests : IAsyncLifetime
{
    sealed class HarborNode(string name, int harbor) : IAsyncDisposable
    {
        public string Name { get; } = name;
        public LogCapture Logs { get; } = new();
        public SkynetNode Skynet { get; private set; } = null!;
        public ClusterMulticastLink Link { get; private set; } = null!;
        public int Port { get; private set; }
        bool _stopped;

        public async Task Start()
        {
            Skynet = new SkynetNode(new SkynetOptions { Threads = 2, LoggerFactory = Logs.Factory, NodeName = Name, Harbor = harbor });
            Skynet.Start();
            _stopped = false;
            Port = (await Node.Within(Cluster.For(Skynet).Open(0, "127.0.0.1"))).Port;
        }

        public async Task Connect(int portA, int portB)
        {
            await Node.Within(Cluster.For(Skynet).Reload(ClusterCallTests.Map(("a", $"127.0.0.1:{portA}"), ("b", $"127.0.0.1:{portB}"))));
            var options = new ClusterMulticastOptions
            {
                NodeDownAfter = TimeSpan.FromSeconds(60),                             // a blip, never a give-up, in these tests
                ReconnectDelay = TimeSpan.FromMilliseconds(10),
                MaxReconnectDelay = TimeSpan.FromMilliseconds(100),
            };
            options.Nodes[1] = "a";
            options.Nodes[2] = "b";
            Link = await Node.Within(ClusterMulticastLink.Start(Skynet, options));
        }

        public async Task Stop()
        {
            if (_stopped) return;
            _stopped = true;
            await Skynet.StopAsync(TimeSpan.FromSeconds(2));
        }

        public async ValueTask DisposeAsync() => await Stop();
    }

    readonly HarborNode _a = new("a", 1);
    readonly HarborNode _b = new("b", 2);
    TcpRelay _toA = null!;                                                              // b's way to a
    TcpRelay _toB = null!;                                                              // a's way to b

    public async Task InitializeAsync()
    {
        await _a.Start();
        await _b.Start();
        _toA = new TcpRelay(_a.Port);
        _toB = new TcpRelay(_b.Port);
        await _a.Connect(_a.Port, _toB.Port);
        await _b.Connect(_toA.Port, _b.Port);
    }

    public async Task DisposeAsync()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
        _toA.Dispose();
        _toB.Dispose();
    }

    void Blip()
    {
        _toA.Cut(refuse: true);
        _toB.Cut(refuse: true);
    }

    [Fact]
    public async Task Deliveries_resume_after_the_connection_breaks_and_comes_back_and_what_was_published_meanwhile_is_counted()
    {
        var channel = await Node.Within(Multicast.New(_a.Skynet));                     // owned by a
        var onA = await MulticastProbe.Subscribe(_a.Skynet, channel.Id);
        var onB = new[] { await MulticastProbe.Subscribe(_b.Skynet, channel.Id), await MulticastProbe.Subscribe(_b.Skynet, channel.Id) };
        var ofB = await Node.Within(Multicast.New(_b.Skynet));                          // owned by b, subscribed on a
        var onAofB = await MulticastProbe.Subscribe(_a.Skynet, ofB.Id);
        channel.Publish("before");
        ofB.Publish("b before");
        foreach (var probe in onB.Append(onA)) await probe.Reached(1);
        await onAofB.Reached(1);

        var aLost = MulticastProbe.Next(h => _a.Link.Disconnected += h);
        var bLost = MulticastProbe.Next(h => _b.Link.Disconnected += h);
        Blip();
        Assert.Equal(2, await aLost);
        Assert.Equal(1, await bLost);
        Assert.True(_a.Link.IsUnreachable(2));

        for (var i = 0; i < 10; i++) channel.Publish($"lost{i}");                       // b is unreachable: dropped for b
        for (var i = 0; i < 3; i++) ofB.Publish($"b lost{i}");                          // a is unreachable: dropped for a
        await onA.Reached(11);                                                          // a's own subscriber is not held up
        Assert.Equal(10, await Node.Within(Multicast.DroppedCount(_a.Skynet)));
        Assert.Equal(3, await Node.Within(Multicast.DroppedCount(_b.Skynet)));          // asked after b's publishes: they are done
        Assert.Equal(10, _a.Link.PublishesDropped);
        Assert.Equal(3, _b.Link.PublishesDropped);
        await _a.Logs.WaitFor("lost node [b] (harbor 2)");
        Assert.Equal(2, await Node.Within(Multicast.SubscriberCount(_b.Skynet, channel.Id)));  // b keeps its subscribers

        var aBack = MulticastProbe.Next(h => _a.Link.Reconnected += h);
        var bBack = MulticastProbe.Next(h => _b.Link.Reconnected += h);
        _toA.Resume();
        _toB.Resume();
        Assert.Equal(2, await aBack);
        Assert.Equal(1, await bBack);
        Assert.False(_a.Link.IsUnreachable(2));

        channel.Publish("after");
        ofB.Publish("b after");
        foreach (var probe in onB)
        {
            await probe.Reached(2);
            Assert.Equal(["before", "after"], probe.Messages);
        }
        await onAofB.Reached(2);
        Assert.Equal(["b before", "b after"], onAofB.Messages);
        Assert.Equal(["before", .. Enumerable.Range(0, 10).Select(i => $"lost{i}"), "after"], (await Then(onA, 12)).Messages);
        Assert.Equal(new[] { 2 }, await Node.Within(Multicast.RemoteNodes(_a.Skynet, channel.Id)));
        Assert.Equal(2, await Node.Within(Multicast.SubscriberCount(_b.Skynet, channel.Id)));
        await _a.Logs.WaitFor("node [b] (harbor 2) is back; 10 publish(es) toward it were dropped meanwhile");
        await _b.Logs.WaitFor("node [a] (harbor 1) is back; 3 publish(es) toward it were dropped meanwhile");
    }

    static async Task<MulticastProbe> Then(MulticastProbe probe, int count)
    {
        await probe.Reached(count);
        return probe;
    }

    [Fact]
    public async Task A_subscriber_node_that_left_a_channel_during_the_outage_is_no_longer_sent_it_after_the_reconnect()
    {
        var kept = await Node.Within(Multicast.New(_a.Skynet));
        var left = await Node.Within(Multicast.New(_a.Skynet));
        var onKept = await MulticastProbe.Subscribe(_b.Skynet, kept.Id);
        var leaving = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var leaver = await _b.Skynet.NewService(new LuaService(null, self => self.Fork(async () =>
        {
            await new MulticastChannel(left.Id).Subscribe((_, _, _) => default);
            leaving.TrySetResult();
        })));
        await Node.Within(leaving.Task);
        Assert.Equal(new[] { 2 }, await Node.Within(Multicast.RemoteNodes(_a.Skynet, left.Id)));

        var bLost = MulticastProbe.Next(h => _b.Link.Disconnected += h);
        var aLost = MulticastProbe.Next(h => _a.Link.Disconnected += h);
        Blip();
        await bLost;
        await aLost;
        _b.Skynet.Kill(leaver);                                                         // its USUBR cannot reach a now
        await Node.Within(_b.Skynet.WhenGone(leaver));
        Assert.Equal(-1, await Node.Within(WhenCount(_b.Skynet, left.Id, -1)));
        await _b.Logs.WaitFor("cluster.send to a");                                    // the USUBR was lost on the way

        var aBack = MulticastProbe.Next(h => _a.Link.Reconnected += h);
        var bBack = MulticastProbe.Next(h => _b.Link.Reconnected += h);
        _toA.Resume();
        _toB.Resume();
        await aBack;
        await bBack;

        // b's resubscription listed only the channel it still has: a forgot b for the other one.
        Assert.Empty(await Node.Within(Multicast.RemoteNodes(_a.Skynet, left.Id)));
        Assert.Equal(new[] { 2 }, await Node.Within(Multicast.RemoteNodes(_a.Skynet, kept.Id)));
        kept.Publish("still");
        await onKept.Reached(1);
    }

    [Fact]
    public async Task A_dead_peer_does_not_hold_up_local_delivery_and_what_it_misses_is_counted_not_queued()
    {
        var channel = await Node.Within(Multicast.New(_a.Skynet));
        var local = new[] { await MulticastProbe.Subscribe(_a.Skynet, channel.Id), await MulticastProbe.Subscribe(_a.Skynet, channel.Id) };
        await MulticastProbe.Subscribe(_b.Skynet, channel.Id);
        var aLost = MulticastProbe.Next(h => _a.Link.Disconnected += h);
        var sentBefore = _a.Link.PublishesSent;

        await _b.Stop();                                                                // the relay now refuses: nothing listens behind it
        Assert.Equal(2, await aLost);

        const int count = 2000;
        for (var i = 0; i < count; i++) channel.Publish((long)i);
        foreach (var probe in local)
        {
            await probe.Reached(count);
            Assert.Equal(Enumerable.Range(0, count).Select(i => (object?)(long)i), probe.Messages);
        }
        // Every delivery here finished while a still tries to reach b (it gives up only after NodeDownAfter).
        Assert.True(_a.Link.IsUnreachable(2));
        Assert.Equal(count, _a.Link.PublishesDropped);
        Assert.Equal(count, await Node.Within(Multicast.DroppedCount(_a.Skynet)));
        Assert.Equal(sentBefore, _a.Link.PublishesSent);                                // nothing was queued toward b
    }

    [Fact]
    public async Task A_peer_that_comes_back_restarted_is_dropped_and_can_subscribe_afresh()
    {
        var channel = await Node.Within(Multicast.New(_a.Skynet));
        await MulticastProbe.Subscribe(_b.Skynet, channel.Id);
        var sentBefore = _a.Link.PublishesSent;
        var aLost = MulticastProbe.Next(h => _a.Link.Disconnected += h);
        var aDropped = MulticastProbe.Next(h => _a.Link.NodeDown += h);
        await _b.Stop();
        await aLost;
        Assert.Equal(sentBefore, _a.Link.PublishesSent);

        // b restarts on another port, behind the same relay: same harbor and name, a new incarnation.
        var first = _b.Link.Incarnation;
        await _b.Start();
        _toB.Target = _b.Port;
        await _b.Connect(_toA.Port, _b.Port);
        Assert.NotEqual(first, _b.Link.Incarnation);
        Assert.Equal(2, await aDropped);
        Assert.Empty(await Node.Within(Multicast.RemoteNodes(_a.Skynet, channel.Id)));
        await _a.Logs.WaitFor("node [b] (harbor 2) is back but restarted");

        var again = await MulticastProbe.Subscribe(_b.Skynet, channel.Id);
        channel.Publish("to the new b");
        await again.Reached(1);
        Assert.Equal(["to the new b"], again.Messages);
    }

    static async Task<int> WhenCount(SkynetNode node, uint channel, int expected)
    {
        // The node drops a gone subscriber when it hears of the exit: ask until it has (bounded by the caller's Within).
        while (true)
        {
            var count = await Multicast.SubscriberCount(node, channel);
            if (count == expected) return count;
            await Task.Yield();
        }
    }
}
