using System.Collections.Concurrent;
using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Multicast;

/// <summary>
/// The cross-node seam, driven by two nodes in one process joined by a direct link (what the cluster module will
/// carry over the network): a subscriber node gets each publish once, however many subscribers it has.
/// </summary>
public class MulticastLinkTests
{
    sealed class DirectLink(SkynetNode self) : IMulticastLink
    {
        public readonly Dictionary<int, SkynetNode> Peers = [];
        public int Forwarded;

        public bool Forward(int harbor, Address publisher, MulticastMessage message)
        {
            Interlocked.Increment(ref Forwarded);
            return Skynet.Multicast.DeliverRemote(Peers[harbor], publisher, message);
        }

        public Task<bool> Subscribe(int harbor, uint channel) => Skynet.Multicast.SubscribeRemote(Peers[harbor], self.Harbor, channel);
        public void Unsubscribe(int harbor, uint channel) => Skynet.Multicast.UnsubscribeRemote(Peers[harbor], self.Harbor, channel);
        public void Delete(int harbor, uint channel) => Skynet.Multicast.DeleteRemote(Peers[harbor], channel);
    }

    static async Task<(ConcurrentQueue<object?> Received, TaskCompletionSource Done)> Subscribe(TestNode node, uint channel, int expected)
    {
        var received = new ConcurrentQueue<object?>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await node.Spawn(async (_, _) => await new MulticastChannel(channel).Subscribe((_, _, message) =>
        {
            received.Enqueue(message);
            if (received.Count == expected) done.TrySetResult();
            return default;
        }));
        return (received, done);
    }

    /// <summary>Starts multicast on both nodes (harbors 1 and 2), each reaching the other through a direct link.</summary>
    static async Task<(DirectLink A, DirectLink B)> Link(TestNode a, TestNode b)
    {
        var linkA = new DirectLink(a.Node);
        var linkB = new DirectLink(b.Node);
        linkA.Peers[2] = b.Node;
        linkB.Peers[1] = a.Node;
        await Skynet.Multicast.Start(a.Node, linkA);
        await Skynet.Multicast.Start(b.Node, linkB);
        return (linkA, linkB);
    }

    [Fact]
    public async Task A_remote_node_gets_one_message_per_publish_and_fans_it_out_locally()
    {
        await using var a = new TestNode(configure: o => o.Harbor = 1);
        await using var b = new TestNode(configure: o => o.Harbor = 2);
        var (linkA, linkB) = await Link(a, b);
        var channel = await Skynet.Multicast.New(a.Node);

        var local = await Subscribe(a, channel.Id, 20);
        var remote = new List<(ConcurrentQueue<object?> Received, TaskCompletionSource Done)>();
        for (var i = 0; i < 3; i++) remote.Add(await Subscribe(b, channel.Id, 20));

        for (var i = 0; i < 10; i++) channel.Publish(i);                                  // on the owner
        var fromB = new MulticastChannel(b.Node, channel.Id);
        for (var i = 10; i < 20; i++) fromB.Publish(i);                                   // on the subscriber node

        await TestNode.Within(local.Done.Task);
        foreach (var r in remote) await TestNode.Within(r.Done.Task);
        Assert.Equal(Enumerable.Range(0, 20).Cast<object?>(), local.Received);
        foreach (var r in remote) Assert.Equal(Enumerable.Range(0, 20).Cast<object?>(), r.Received);
        Assert.Equal(20, linkA.Forwarded);  // owner to B: once per publish, not once per subscriber
        Assert.Equal(10, linkB.Forwarded);  // B's own publishes go to the owner once each
        Assert.Equal(3, await Skynet.Multicast.SubscriberCount(b.Node, channel.Id));
    }

    [Fact]
    public async Task Deleting_on_the_owner_reaches_the_subscriber_nodes()
    {
        await using var a = new TestNode(configure: o => o.Harbor = 1);
        await using var b = new TestNode(configure: o => o.Harbor = 2);
        var (linkA, linkB) = await Link(a, b);
        var channel = await Skynet.Multicast.New(a.Node);
        await Subscribe(b, channel.Id, 1);
        Assert.Equal(1, await Skynet.Multicast.SubscriberCount(b.Node, channel.Id));

        channel.Delete();

        await Net.Eventually.True(() => Skynet.Multicast.SubscriberCount(b.Node, channel.Id).Result == -1, "node B to forget the deleted channel");
        Assert.Equal(-1, await Skynet.Multicast.SubscriberCount(a.Node, channel.Id));
    }
}
