using Microsoft.Extensions.Logging;
using Skynet.Codecs;

namespace Skynet;

/// <summary>Liveness and reconnection toward the peers: the held WATCH call, and what happens when it fails.</summary>
internal sealed partial class ClusterMulticastPeer
{
    void Watch(int harbor)
    {
        if (harbor == Node.Harbor || !link.TryPeer(harbor, out var peer) || peer.Down || !_watching.Add(harbor)) return;
        Fork(async () =>
        {
            var cluster = Cluster.For(Node);
            while (true)
            {
                try
                {
                    await cluster.Call(peer.Name, ClusterMulticastLink.PeerName, "WATCH", (long)Node.Harbor);
                }
                catch (CallFailedException ex) when (ex.Failure == CallFailure.Timeout)
                {
                    // ClusterOptions.CallTimeout ended the call, not the connection: ask again (the peer answers the old one).
                }
                catch (CallFailedException ex)
                {
                    _watching.Remove(harbor);
                    await Reconnect(peer, ex.Reason);
                    return;
                }
            }
        });
    }

    /// <summary>
    /// The connection to <paramref name="peer"/> broke. Publishes toward it are dropped (and counted) while this asks
    /// it HELLO, with a growing pause, until it answers or <see cref="ClusterMulticastOptions.NodeDownAfter"/> passed.
    /// Back with the same incarnation: this node's subscriptions there are restored (RESUB) and sending resumes.
    /// Back restarted, or never back: the peer is dropped as skynet drops a dead harbor.
    /// </summary>
    async ValueTask Reconnect(ClusterMulticastPeerState peer, string reason)
    {
        var options = link.Options;
        Interlocked.Exchange(ref peer.DroppedWhileDown, 0);
        peer.Down = true;
        Log(LogLevel.Warning, $"multicast over cluster: lost node [{peer.Name}] (harbor {peer.Harbor}): {reason}; publishes toward it are dropped until it is back (reconnecting for up to {options.NodeDownAfter})");
        link.Raise(ClusterMulticastEvent.Disconnected, peer.Harbor);
        var cluster = Cluster.For(Node);
        var started = Node.Options.TimeProvider.GetTimestamp();
        var delay = options.ReconnectDelay;
        long? answer = null;
        while (true)
        {
            try
            {
                answer = await cluster.Call(peer.Name, ClusterMulticastLink.PeerName, "HELLO", (long)Node.Harbor, link.Incarnation) as long?;
                if (answer is not null) break;
            }
            catch (CallFailedException)
            {
                // still unreachable
            }
            if (Node.Options.TimeProvider.GetElapsedTime(started) >= options.NodeDownAfter) break;
            await Sleep(delay);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaxReconnectDelay.Ticks));
        }
        var dropped = Interlocked.Read(ref peer.DroppedWhileDown);
        var known = Interlocked.Read(ref peer.Incarnation);
        if (answer is not { } incarnation || (known != 0 && known != incarnation))
        {
            Log(LogLevel.Warning, answer is null
                ? $"multicast over cluster: node [{peer.Name}] (harbor {peer.Harbor}) stayed unreachable for {options.NodeDownAfter}; dropping it ({dropped} publish(es) toward it were dropped)"
                : $"multicast over cluster: node [{peer.Name}] (harbor {peer.Harbor}) is back but restarted; dropping what it had ({dropped} publish(es) toward it were dropped)");
            Interlocked.Exchange(ref peer.Incarnation, answer ?? 0);
            Multicast.NodeDown(Node, peer.Harbor);
            peer.Down = false;
            link.Raise(ClusterMulticastEvent.NodeDown, peer.Harbor);
            return;
        }
        Interlocked.Exchange(ref peer.Incarnation, incarnation);
        await Resubscribe(peer, incarnation);
        peer.Down = false;
        Log($"multicast over cluster: node [{peer.Name}] (harbor {peer.Harbor}) is back; {dropped} publish(es) toward it were dropped meanwhile");
        Watch(peer.Harbor);
        link.Raise(ClusterMulticastEvent.Reconnected, peer.Harbor);
    }

    /// <summary>
    /// Tells the peer again which of its channels this node has subscribers for (a USUBR lost during the outage is
    /// undone), and forgets those the peer no longer has (a DEL lost on the way).
    /// </summary>
    async ValueTask Resubscribe(ClusterMulticastPeerState peer, long incarnation)
    {
        var channels = await Multicast.ChannelsOwnedBy(Node, peer.Harbor);
        if (channels.Length == 0) return;
        var list = new LuaTable(channels.Length);
        foreach (var id in channels) list.Array.Add((long)id);
        object? reply;
        try
        {
            reply = await Cluster.For(Node).Call(peer.Name, ClusterMulticastLink.PeerName, "RESUB", (long)Node.Harbor, link.Incarnation, incarnation, list);
        }
        catch (CallFailedException ex)
        {
            // Lost again at once: the next failure of the watch starts over.
            Log(LogLevel.Warning, $"multicast over cluster: resubscribing at node [{peer.Name}] failed: {ex.Reason}");
            return;
        }
        var accepted = new HashSet<long>();
        if (reply is LuaTable table)
            foreach (var item in table.Array)
                if (item is long id) accepted.Add(id);
        foreach (var id in channels)
            if (!accepted.Contains(id)) Multicast.DeleteRemote(Node, id);
    }
}
