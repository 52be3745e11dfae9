using System.Collections.Concurrent;
using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Multicast;

public class MulticastTests
{
    /// <summary>A subscriber service that records what it receives and signals after <paramref name="expected"/> messages.</summary>
    sealed class Recorder(int expected)
    {
        public readonly ConcurrentQueue<(Address Source, object? Message)> Received = new();
        public readonly TaskCompletionSource Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Address Address;

        public ValueTask Handle(MulticastChannel channel, Address source, object? message)
        {
            Received.Enqueue((source, message));
            if (Received.Count == expected) Done.TrySetResult();
            return default;
        }
    }

    static async Task<Recorder> Subscriber(TestNode node, uint channel, int expected)
    {
        var recorder = new Recorder(expected);
        recorder.Address = await node.Spawn(async (self, _) => await new MulticastChannel(channel).Subscribe(recorder.Handle));
        return recorder;
    }

    [Fact]
    public async Task Every_subscriber_receives_the_same_payload_reference_once()
    {
        await using var node = new TestNode();
        var channel = await Skynet.Multicast.New(node.Node);
        var subscribers = new List<Recorder>();
        for (var i = 0; i < 20; i++) subscribers.Add(await Subscriber(node, channel.Id, expected: 3));
        var messages = new object[] { "one", new byte[] { 1, 2, 3 }, new Uri("http://example.invalid/") };

        foreach (var message in messages) Assert.True(channel.Publish(message));

        foreach (var subscriber in subscribers)
        {
            await TestNode.Within(subscriber.Done.Task);
            var received = subscriber.Received.Select(r => r.Message).ToArray();
            Assert.Equal(3, received.Length);
            for (var i = 0; i < 3; i++) Assert.Same(messages[i], received[i]);
        }
        Assert.Equal(20, await Skynet.Multicast.SubscriberCount(node.Node, channel.Id));
    }

    [Fact]
    public async Task Each_subscriber_sees_each_publishers_messages_in_publish_order()
    {
        await using var node = new TestNode(threads: 2);
        var channel = await Skynet.Multicast.New(node.Node);
        const int perPublisher = 2000, publishers = 3;
        var subscribers = new List<Recorder>();
        for (var i = 0; i < 8; i++) subscribers.Add(await Subscriber(node, channel.Id, publishers * perPublisher));

        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new List<Address>();
        for (var p = 0; p < publishers; p++)
        {
            started.Add(await node.Spawn((self, _) =>
            {
                var publisherChannel = new MulticastChannel(channel.Id);
                self.Dispatch(PType.Lua, _ =>
                {
                    for (var n = 0; n < perPublisher; n++) publisherChannel.Publish(n);
                    return default;
                });
                return default;
            }));
        }
        foreach (var publisher in started) node.Node.Send(publisher, "go");

        foreach (var subscriber in subscribers)
        {
            await TestNode.Within(subscriber.Done.Task);
            foreach (var publisher in started)
            {
                var seen = subscriber.Received.Where(r => r.Source == publisher).Select(r => (int)r.Message!).ToArray();
                Assert.Equal(Enumerable.Range(0, perPublisher), seen);
            }
        }
    }

    [Fact]
    public async Task Unsubscribed_service_receives_nothing_more()
    {
        await using var node = new TestNode();
        var channel = await Skynet.Multicast.New(node.Node);
        var received = new ConcurrentQueue<object?>();
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var leaver = await node.Spawn(async (self, _) =>
        {
            var mine = new MulticastChannel(channel.Id);
            await mine.Subscribe((_, _, message) =>
            {
                received.Enqueue(message);
                mine.Unsubscribe();
                first.TrySetResult(); // after the USUB is queued, so the count below sees it
                return default;
            });
        });
        var stayer = await Subscriber(node, channel.Id, expected: 3);

        channel.Publish(1);
        channel.Publish(2);
        channel.Publish(3);

        await TestNode.Within(stayer.Done.Task);
        await TestNode.Within(first.Task);
        Assert.Equal(1, await Skynet.Multicast.SubscriberCount(node.Node, channel.Id));
        Assert.Equal([1], received.ToArray());
    }

    [Fact]
    public async Task A_dead_subscriber_is_dropped_and_the_others_still_receive()
    {
        await using var node = new TestNode();
        var channel = await Skynet.Multicast.New(node.Node);
        var victim = await Subscriber(node, channel.Id, expected: 1);
        var survivor = await Subscriber(node, channel.Id, expected: 1);
        Assert.Equal(2, await Skynet.Multicast.SubscriberCount(node.Node, channel.Id));

        Assert.True(node.Node.Kill(victim.Address));
        await TestNode.Within(node.Node.WhenGone(victim.Address));
        channel.Publish("after death");

        await TestNode.Within(survivor.Done.Task);
        // COUNT is queued behind the publish, whose failed delivery dropped the dead subscriber.
        Assert.Equal(1, await Skynet.Multicast.SubscriberCount(node.Node, channel.Id));
        Assert.Empty(victim.Received);
        Assert.Equal(0, await Skynet.Multicast.DroppedCount(node.Node)); // a dead subscriber is dropped, not counted as a lost delivery
    }

    [Fact]
    public async Task A_subscriber_that_exits_without_any_publish_is_dropped_when_the_node_reports_it_gone()
    {
        await using var node = new TestNode();
        var channel = await Skynet.Multicast.New(node.Node);
        var victim = await Subscriber(node, channel.Id, expected: 1);
        Assert.Equal(1, await Skynet.Multicast.SubscriberCount(node.Node, channel.Id));

        node.Node.Kill(victim.Address);

        await Net.Eventually.True(() => Skynet.Multicast.SubscriberCount(node.Node, channel.Id).Result == 0, "the dead subscriber to be dropped");
    }

    [Fact]
    public async Task A_deleted_channel_delivers_nothing_and_refuses_subscribers()
    {
        await using var node = new TestNode();
        var channel = await Skynet.Multicast.New(node.Node);
        var subscriber = await Subscriber(node, channel.Id, expected: 1);

        channel.Delete();
        channel.Publish("into the void");
        Assert.Equal(-1, await Skynet.Multicast.SubscriberCount(node.Node, channel.Id));

        var refused = await node.Inside(async self =>
        {
            try { await new MulticastChannel(channel.Id).Subscribe((_, _, _) => default); return null; }
            catch (InvalidOperationException ex) { return ex.Message; }
        });
        Assert.Contains("does not exist", refused);
        Assert.Empty(subscriber.Received);
    }

    [Fact]
    public async Task Channels_are_independent_and_ids_carry_the_harbor_in_the_low_byte()
    {
        await using var node = new TestNode(configure: o => o.Harbor = 7);
        var a = await Skynet.Multicast.New(node.Node);
        var b = await Skynet.Multicast.New(node.Node);
        Assert.NotEqual(a.Id, b.Id);
        Assert.Equal(7u, a.Id & 0xFF);
        Assert.Equal(7u, b.Id & 0xFF);
        var onA = await Subscriber(node, a.Id, expected: 1);
        var onB = await Subscriber(node, b.Id, expected: 1);

        a.Publish("a");
        b.Publish("b");

        await TestNode.Within(onA.Done.Task);
        await TestNode.Within(onB.Done.Task);
        Assert.Equal(["a"], onA.Received.Select(r => r.Message));
        Assert.Equal(["b"], onB.Received.Select(r => r.Message));
        Assert.Equal($"[Multicast:{a.Id:x}]", a.ToString());
    }

    [Fact]
    public async Task Misuse_gets_a_clear_error()
    {
        await using var node = new TestNode();
        Assert.Throws<InvalidOperationException>(() => new MulticastChannel(node.Node, 0x107).Publish("x")); // no multicast service yet
        await Assert.ThrowsAsync<InvalidOperationException>(() => Skynet.Multicast.New());                // outside a service
        var channel = await Skynet.Multicast.New(node.Node);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await channel.Subscribe((_, _, _) => default)); // outside a service
        var remote = await node.Inside(async self =>
        {
            try { await new MulticastChannel(0x205).Subscribe((_, _, _) => default); return null; }
            catch (InvalidOperationException ex) { return ex.Message; }
        });
        Assert.Contains("IMulticastLink", remote);
    }

    [Fact]
    public async Task A_multicast_message_that_is_not_a_publish_is_logged_and_dropped()
    {
        await using var node = new TestNode();
        var channel = await Skynet.Multicast.New(node.Node);
        var subscriber = await Subscriber(node, channel.Id, expected: 1);

        Assert.True(node.Node.Send(Skynet.Multicast.Find(node.Node)!.Value, PType.Multicast, "not a MulticastMessage"));
        channel.Publish("still works");

        await TestNode.Within(node.Logs.WaitFor("not a MulticastMessage; dropped"));
        await TestNode.Within(subscriber.Done.Task);
        Assert.Equal(["still works"], subscriber.Received.Select(r => r.Message));
    }

    [Fact]
    public async Task A_channel_object_finds_a_restarted_multicast_service()
    {
        await using var node = new TestNode();
        var channel = await Skynet.Multicast.New(node.Node);
        var first = Skynet.Multicast.Find(node.Node)!.Value;
        node.Node.Kill(first);
        await TestNode.Within(node.Node.WhenGone(first));

        Assert.False(channel.Publish("nobody runs the channels")); // the old service is gone and none is running
        var fresh = await Skynet.Multicast.New(node.Node);         // starts a new multicast service
        var subscriber = await Subscriber(node, fresh.Id, expected: 1);
        Assert.True(new MulticastChannel(node.Node, fresh.Id).Publish("hello"));
        await TestNode.Within(subscriber.Done.Task);
        Assert.True(channel.Publish("reaches the new service, which does not know this channel")); // re-resolved, not stuck
    }

    [Fact]
    public async Task A_slow_subscriber_is_bounded_by_its_mailbox_limit_and_does_not_slow_the_others()
    {
        await using var node = new TestNode(threads: 2);
        var channel = await Skynet.Multicast.New(node.Node);
        const int published = 200;
        var fast = await Subscriber(node, channel.Id, published);
        using var gate = new ManualResetEventSlim(false);
        using var slowReceived = new SemaphoreSlim(0);
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await node.Spawn(async (self, _) =>
        {
            self.MailboxLimit = 5;
            await new MulticastChannel(channel.Id).Subscribe((_, _, _) =>
            {
                first.TrySetResult();
                // Blocks its worker thread (a subscriber that is slow, not one that awaits): its mailbox fills up.
                if (!gate.Wait(TestNode.Patience)) throw new TimeoutException("the test never opened the gate");
                slowReceived.Release();
                return default;
            });
        });

        channel.Publish(-1);
        await TestNode.Within(first.Task);                   // the slow one is inside its first message
        for (var i = 0; i < published - 1; i++) channel.Publish(i);

        await TestNode.Within(fast.Done.Task);               // the fast one got everything while the slow one sat
        var dropped = await Skynet.Multicast.DroppedCount(node.Node);
        Assert.InRange(dropped, published - 1 - 5 - 1, published - 1); // at most its limit waited (plus one in hand)
        gate.Set();
        var accepted = published - (int)dropped;
        for (var i = 0; i < accepted; i++) Assert.True(await slowReceived.WaitAsync(TestNode.Patience), $"the slow subscriber got {i} of {accepted}");
        Assert.Equal(2, await Skynet.Multicast.SubscriberCount(node.Node, channel.Id)); // refused, not unsubscribed
    }
}
