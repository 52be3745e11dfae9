using System.Collections.Concurrent;

namespace Skynet.ClusterTests;

/// <summary>
/// Multicast channels across two nodes in one process over 127.0.0.1 (port 0), carried by
/// <see cref="ClusterMulticastLink"/>: one cluster message per node per publish, node loss, bad input.
/// </summary>
public sealed class MulticastAcrossNodesTests : IAsyncLifetime
{
    sealed class HarborNode : IAsyncDisposable
    {
        public HarborNode(string name, int harbor)
        {
            Name = name;
            Skynet = new SkynetNode(new SkynetOptions { Threads = 2, LoggerFactory = Logs.Factory, NodeName = name, Harbor = harbor });
            Skynet.Start();
        }

        public string Name { get; }
        public SkynetNode Skynet { get; }
        public LogCapture Logs { get; } = new();
        public ClusterClient Cluster => global::Skynet.Cluster.For(Skynet);
        public ClusterMulticastLink Link { get; set; } = null!;
        bool _stopped;

        public async Task Stop()
        {
            if (_stopped) return;
            _stopped = true;
            await Skynet.StopAsync(TimeSpan.FromSeconds(2));
        }

        public async ValueTask DisposeAsync() => await Stop();
    }

    sealed record Subscriber(ConcurrentQueue<(Address Source, object? Message)> Received, TaskCompletionSource Done);

    readonly HarborNode _a = new("a", 1);
    readonly HarborNode _b = new("b", 2);
    static readonly Dictionary<int, string> Harbors = new() { [1] = "a", [2] = "b" };

    public async Task InitializeAsync()
    {
        var portA = (await Node.Within(_a.Cluster.Open(0, "127.0.0.1"))).Port;
        var portB = (await Node.Within(_b.Cluster.Open(0, "127.0.0.1"))).Port;
        var map = ClusterCallTests.Map(("a", $"127.0.0.1:{portA}"), ("b", $"127.0.0.1:{portB}"));
        await Node.Within(_a.Cluster.Reload(map));
        await Node.Within(_b.Cluster.Reload(map));
        _a.Link = await Node.Within(ClusterMulticastLink.Start(_a.Skynet, Options()));
        _b.Link = await Node.Within(ClusterMulticastLink.Start(_b.Skynet, Options()));
    }

    // A stopped node refuses the reconnect at once: with no grace period it is given up after that one attempt.
    static ClusterMulticastOptions Options()
    {
        var options = new ClusterMulticastOptions { NodeDownAfter = TimeSpan.Zero };
        foreach (var (harbor, name) in Harbors) options.Nodes[harbor] = name;
        return options;
    }

    public async Task DisposeAsync()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
    }

    static async Task<Subscriber> Subscribe(HarborNode node, uint channel, int expected)
    {
        var subscriber = new Subscriber(new(), new(TaskCreationOptions.RunContinuationsAsynchronously));
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await node.Skynet.NewService(new LuaService(null, self => self.Fork(async () =>
        {
            await new MulticastChannel(channel).Subscribe((_, source, message) =>
            {
                subscriber.Received.Enqueue((source, message));
                if (subscriber.Received.Count == expected) subscriber.Done.TrySetResult();
                return default;
            });
            subscribed.TrySetResult();
        })));
        await Node.Within(subscribed.Task);
        return subscriber;
    }

    [Fact]
    public async Task A_subscriber_node_gets_one_cluster_message_per_publish_whatever_its_subscriber_count()
    {
        var channel = await Node.Within(Multicast.New(_a.Skynet));
        var onA = await Subscribe(_a, channel.Id, 100);
        var onB = new List<Subscriber>();
        for (var i = 0; i < 3; i++) onB.Add(await Subscribe(_b, channel.Id, 100));
        Assert.Equal(new[] { 2 }, await Node.Within(Multicast.RemoteNodes(_a.Skynet, channel.Id)));

        for (var i = 0; i < 50; i++) channel.Publish($"a{i}");                        // on the owner
        var fromB = new MulticastChannel(_b.Skynet, channel.Id);
        for (var i = 0; i < 50; i++) fromB.Publish((long)i);                            // on the subscriber node: via the owner

        await Node.Within(onA.Done.Task);
        foreach (var s in onB) await Node.Within(s.Done.Task);
        string[] fromA = [.. Enumerable.Range(0, 50).Select(i => $"a{i}")];
        long[] fromBValues = [.. Enumerable.Range(0, 50).Select(i => (long)i)];
        foreach (var s in onB.Append(onA))
        {
            Assert.Equal(fromA, s.Received.Select(r => r.Message).OfType<string>());    // each publisher's order holds
            Assert.Equal(fromBValues, s.Received.Select(r => r.Message).OfType<long>());
        }
        // One decode per node: B's three subscribers hold the same object for each publish.
        var received = onB.Select(s => s.Received.ToArray()).ToArray();
        for (var k = 0; k < 100; k++)
        {
            Assert.Same(received[0][k].Message, received[1][k].Message);
            Assert.Same(received[0][k].Message, received[2][k].Message);
        }
        // The network messages: A sent B each of the 100 publishes once (not 3x), B sent its 50 to the owner once each.
        Assert.Equal(100, _a.Link.PublishesSent);
        Assert.Equal(100, _b.Link.PublishesReceived);
        Assert.Equal(50, _b.Link.PublishesSent);
        Assert.Equal(50, _a.Link.PublishesReceived);
        Assert.Equal(100, _a.Link.PayloadsEncoded);
        Assert.Equal(3, await Node.Within(Multicast.SubscriberCount(_b.Skynet, channel.Id)));
        Assert.Equal(0, await Node.Within(Multicast.DroppedCount(_a.Skynet)));
    }

    [Fact]
    public async Task The_owner_drops_a_subscriber_node_that_goes_down_and_serves_on()
    {
        var channel = await Node.Within(Multicast.New(_a.Skynet));
        var onA = await Subscribe(_a, channel.Id, 6);
        var onB = await Subscribe(_b, channel.Id, 1);
        channel.Publish("before");
        await Node.Within(onB.Done.Task);
        var down = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _a.Link.NodeDown += harbor => down.TrySetResult(harbor);

        await _b.Stop();

        Assert.Equal(2, await Node.Within(down.Task));
        Assert.Empty(await Node.Within(Multicast.RemoteNodes(_a.Skynet, channel.Id)));
        for (var i = 0; i < 5; i++) channel.Publish($"after{i}");
        await Node.Within(onA.Done.Task);
        Assert.Equal(["before", "after0", "after1", "after2", "after3", "after4"], onA.Received.Select(r => r.Message));
        Assert.Equal(1, _a.Link.PublishesSent);                                          // nothing more went toward B
        Assert.Equal(0, await Node.Within(Multicast.DroppedCount(_a.Skynet)));
    }

    [Fact]
    public async Task A_subscriber_node_forgets_the_channels_of_an_owner_that_goes_down()
    {
        var channel = await Node.Within(Multicast.New(_a.Skynet));
        await Subscribe(_b, channel.Id, 1);
        var ownChannel = await Node.Within(Multicast.New(_b.Skynet));
        var own = await Subscribe(_b, ownChannel.Id, 1);
        Assert.Equal(1, await Node.Within(Multicast.SubscriberCount(_b.Skynet, channel.Id)));
        var down = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _b.Link.NodeDown += harbor => down.TrySetResult(harbor);

        await _a.Stop();

        Assert.Equal(1, await Node.Within(down.Task));
        Assert.Equal(-1, await Node.Within(Multicast.SubscriberCount(_b.Skynet, channel.Id)));
        ownChannel.Publish("still here");                                                // B's own channels are untouched
        await Node.Within(own.Done.Task);
    }

    [Fact]
    public async Task Deleting_on_the_owner_reaches_the_subscriber_node()
    {
        var channel = await Node.Within(Multicast.New(_a.Skynet));
        await Subscribe(_b, channel.Id, 1);
        var marker = await Node.Within(Multicast.New(_a.Skynet));
        var onMarker = await Subscribe(_b, marker.Id, 1);

        channel.Delete();
        // A orders DEL before this publish, and both travel A → B on one connection and through B's peer service in
        // that order: once B's subscriber has the marker, B's multicast service has handled the delete.
        marker.Publish("after delete");
        await Node.Within(onMarker.Done.Task);

        Assert.Equal(-1, await Node.Within(Multicast.SubscriberCount(_b.Skynet, channel.Id)));
        Assert.Empty(await Node.Within(Multicast.RemoteNodes(_a.Skynet, channel.Id)));
    }

    [Fact]
    public async Task A_payload_the_codec_cannot_carry_stays_on_its_node_and_the_channel_goes_on()
    {
        var channel = await Node.Within(Multicast.New(_a.Skynet));
        var onA = await Subscribe(_a, channel.Id, 2);
        var onB = await Subscribe(_b, channel.Id, 1);
        var local = new object();                                                        // no skynet.pack form

        channel.Publish(local);
        channel.Publish("crosses");

        await Node.Within(onA.Done.Task);
        await Node.Within(onB.Done.Task);
        Assert.Same(local, onA.Received.First().Message);
        Assert.Equal("crosses", Assert.Single(onB.Received).Message);
        await Node.Within(_a.Logs.WaitFor("cannot cross to other nodes"));
        Assert.Equal(1, await Node.Within(Multicast.DroppedCount(_a.Skynet)));
        Assert.Equal(1, _a.Link.PublishesSent);
    }

    [Fact]
    public async Task Malformed_multicast_messages_from_the_network_are_logged_and_dropped()
    {
        var channel = await Node.Within(Multicast.New(_a.Skynet));
        var onA = await Subscribe(_a, channel.Id, 1);

        _b.Cluster.Send("a", ClusterMulticastLink.PeerName, "RPUB", 2L, 5L, (long)channel.Id, new byte[] { 0xFF, 0x00 }); // not skynet.pack
        _b.Cluster.Send("a", ClusterMulticastLink.PeerName, "RPUB", 900L, 5L, (long)channel.Id, new byte[] { 0 });        // harbor out of range
        _b.Cluster.Send("a", ClusterMulticastLink.PeerName, "RPUB", 2L, 5L, (long)channel.Id, true);                      // no bytes
        _b.Cluster.Send("a", ClusterMulticastLink.PeerName, "NOSUCH");
        var refused = await Node.Within(_b.Cluster.Call("a", ClusterMulticastLink.PeerName, "SUBR", "x", "y"));

        Assert.Equal(false, refused);
        await Node.Within(_a.Logs.WaitFor("does not decode"));
        await Node.Within(_a.Logs.WaitFor("carries no payload bytes"));
        await Node.Within(_a.Logs.WaitFor("malformed message"));
        channel.Publish("fine");
        await Node.Within(onA.Done.Task);
        Assert.Equal(0, _a.Link.PublishesReceived);
    }
}
