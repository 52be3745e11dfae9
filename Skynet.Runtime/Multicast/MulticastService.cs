using Microsoft.Extensions.Logging;

namespace Skynet;

/// <summary>
/// The node's multicast service, skynet's <c>service/multicastd.lua</c>: it owns the channels created on this node,
/// keeps each channel's local subscribers and fans every publish out to them, handing each the same
/// <see cref="MulticastMessage"/> (one allocation per publish, none per delivery). Use it through
/// <see cref="Multicast"/> and <see cref="MulticastChannel"/>; it runs once per node as the unique service
/// <see cref="Multicast.ServiceName"/>, named <c>.multicastd</c>.
/// </summary>
/// <remarks>
/// <para>Ordering: a publisher's messages enter this service's mailbox in publish order and leave it in that order
/// toward every subscriber, so each subscriber sees one publisher's messages in publish order.</para>
/// <para>A subscriber that is gone is dropped: at once when a delivery to it fails, and when the node reports it gone
/// (<see cref="SkynetNode.WhenGone"/>). A delivery refused by a live subscriber (a full bounded mailbox) is dropped
/// for that subscriber alone; the others are not slowed.</para>
/// <para>Start argument: an optional <see cref="IMulticastLink"/> that reaches the other nodes.</para>
/// </remarks>
public sealed class MulticastService : Service
{
    /// <summary>The local name the service registers (skynet keeps the address in datacenter <c>multicast/harbor</c>).</summary>
    public const string LocalServiceName = ".multicastd";

    readonly Dictionary<uint, MulticastGroup> _channels = [];
    readonly Dictionary<uint, HashSet<int>> _remoteNodes = []; // owner side: nodes that have subscribers
    readonly Dictionary<Address, HashSet<uint>> _subscriptions = []; // per subscriber, to drop a dead one everywhere
    IMulticastLink? _link;
    uint _nextId;
    int _harbor;
    long _dropped;

    /// <inheritdoc/>
    protected override ValueTask OnStart(object?[] args)
    {
        _link = args.Length > 0 ? args[0] as IMulticastLink : null;
        _harbor = Node.Harbor;
        _nextId = (uint)_harbor + 256; // skynet: the low 8 bits name the owner node; 0 stays free as "no channel"
        Register(LocalServiceName);
        Dispatch(PType.Lua, Command);
        Dispatch(PType.Multicast, Publish);
        return default;
    }

    ValueTask Publish(Message message)
    {
        if (message.Payload is not MulticastMessage publish)
        {
            Log(LogLevel.Warning, $"multicast: {message.Source} sent a {message.Payload?.GetType().Name ?? "null"}, not a MulticastMessage; dropped");
            return default;
        }
        var owner = OwnerOf(publish.Channel);
        if (owner != _harbor)
        {
            // Like skynet's remote_publish: the owner orders every publish of its channel, then sends it back here.
            if (_link is null || !_link.Forward(owner, message.Source, publish)) _dropped++;
            return default;
        }
        Distribute(message.Source, publish);
        return default;
    }

    void Distribute(Address publisher, MulticastMessage publish)
    {
        if (_link is { } link && _remoteNodes.TryGetValue(publish.Channel, out var nodes))
            foreach (var node in nodes)
                if (!link.Forward(node, publisher, publish)) _dropped++;
        if (!_channels.TryGetValue(publish.Channel, out var group)) return;
        var i = 0;
        while (i < group.Count)
        {
            var member = group[i];
            if (Redirect(member, publisher, PType.Multicast, 0, publish)) { i++; continue; }
            if (!IsGone(member))
            {
                _dropped++; // refused by a live subscriber (a full bounded mailbox): its loss alone
                i++;
                continue;
            }
            Forget(member); // its slot now holds another member: look at i again
        }
    }

    bool IsGone(Address member) => Node.GetInfo(member) is null;

    async ValueTask Command(Message message)
    {
        var args = message.Args;
        switch (args)
        {
            case ["NEW"]:
                Ret(NewChannel());
                return;
            case ["SUB", uint channel]:
                Ret(await Subscribe(message.Source, channel));
                return;
            case ["USUB", uint channel]:
                Unsubscribe(message.Source, channel);
                break;
            case ["DEL", uint channel]:
                Delete(channel);
                break;
            case ["DROP", Address member]:
                Forget(member);
                break;
            case ["COUNT", uint channel]:
                Ret(_channels.TryGetValue(channel, out var counted) ? counted.Count : -1);
                return;
            case ["DROPPED"]:
                Ret(_dropped);
                return;
            // From other nodes, through the link:
            case ["RPUB", Address publisher, MulticastMessage publish]:
                Distribute(publisher, publish);
                break;
            case ["SUBR", int node, uint channel]:
                Ret(SubscribeNode(node, channel));
                return;
            case ["USUBR", int node, uint channel]:
                if (_remoteNodes.TryGetValue(channel, out var remote) && remote.Remove(node) && remote.Count == 0) _remoteNodes.Remove(channel);
                break;
            case ["DELR", uint channel]:
                ForgetChannel(channel);
                break;
            case ["RESUBR", int node, uint[] channels]:
                Ret(ResubscribeNode(node, channels));
                return;
            case ["OWNEDBY", int owner]:
                Ret(_channels.Keys.Where(c => OwnerOf(c) == owner && owner != _harbor).Order().ToArray());
                return;
            case ["NODEDOWN", int node]:
                NodeDown(node);
                break;
            case ["NODES", uint channel]:
                Ret(_remoteNodes.TryGetValue(channel, out var subscribed) ? subscribed.Order().ToArray() : Array.Empty<int>());
                return;
            default:
                throw new ArgumentException($"multicast: unknown command {(args.Length > 0 ? args[0] : "(empty)")} from {message.Source}.");
        }
        if (message.IsRequest) Ret();
    }

    uint NewChannel()
    {
        while (_channels.ContainsKey(_nextId) || _nextId == 0) _nextId += 256;
        var id = _nextId;
        _nextId += 256;
        _channels[id] = new MulticastGroup();
        return id;
    }

    async ValueTask<bool> Subscribe(Address member, uint channel)
    {
        var owner = OwnerOf(channel);
        if (!_channels.ContainsKey(channel))
        {
            if (owner == _harbor || _link is null) return false;
            if (!await _link.Subscribe(owner, channel)) return false;
            if (!_channels.ContainsKey(channel)) _channels[channel] = new MulticastGroup(); // another SUB may have won while we waited
        }
        if (!_channels[channel].Add(member)) return true;
        if (!_subscriptions.TryGetValue(member, out var channels))
        {
            _subscriptions[member] = channels = [];
            WatchDeath(member);
        }
        channels.Add(channel);
        return true;
    }

    void WatchDeath(Address member)
    {
        var node = Node;
        var self = Self;
        _ = node.WhenGone(member).ContinueWith(static (_, state) =>
        {
            var (node, self, member) = ((SkynetNode, Address, Address))state!;
            node.Send(self, PType.Lua, new object?[] { "DROP", member });
        }, (node, self, member), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    void Unsubscribe(Address member, uint channel)
    {
        if (!_channels.TryGetValue(channel, out var group) || !group.Remove(member)) return;
        if (_subscriptions.TryGetValue(member, out var channels) && channels.Remove(channel) && channels.Count == 0) _subscriptions.Remove(member);
        LeaveIfEmpty(channel, group);
    }

    void Forget(Address member)
    {
        if (!_subscriptions.Remove(member, out var channels)) return;
        foreach (var channel in channels)
            if (_channels.TryGetValue(channel, out var group) && group.Remove(member)) LeaveIfEmpty(channel, group);
    }

    /// <summary>A node with no subscriber left stops receiving a remote channel (skynet's <c>USUBR</c>).</summary>
    void LeaveIfEmpty(uint channel, MulticastGroup group)
    {
        var owner = OwnerOf(channel);
        if (group.Count > 0 || owner == _harbor) return;
        _channels.Remove(channel);
        _link?.Unsubscribe(owner, channel);
    }

    void Delete(uint channel)
    {
        var owner = OwnerOf(channel);
        if (owner != _harbor)
        {
            _link?.Delete(owner, channel);
            return;
        }
        _channels.Remove(channel);
        if (_remoteNodes.Remove(channel, out var nodes) && _link is { } link)
            foreach (var node in nodes) link.Delete(node, channel);
    }

    bool SubscribeNode(int node, uint channel)
    {
        if (!_channels.ContainsKey(channel) || OwnerOf(channel) != _harbor) return false;
        if (!_remoteNodes.TryGetValue(channel, out var nodes)) _remoteNodes[channel] = nodes = [];
        nodes.Add(node);
        return true;
    }

    /// <summary>
    /// Node <paramref name="harbor"/> is gone: stop sending it publishes, and forget the channels it owned (their
    /// local subscribers would never hear from them again; they subscribe again once the owner is back).
    /// </summary>
    void NodeDown(int harbor)
    {
        foreach (var (channel, nodes) in _remoteNodes.ToArray())
            if (nodes.Remove(harbor) && nodes.Count == 0) _remoteNodes.Remove(channel);
        foreach (var channel in _channels.Keys.Where(c => OwnerOf(c) == harbor && harbor != _harbor).ToArray())
            ForgetChannel(channel);
    }

    /// <summary>A channel owned elsewhere is gone (deleted, or its owner is): its local subscribers here lose it.</summary>
    void ForgetChannel(uint channel)
    {
        if (!_channels.Remove(channel, out var group)) return;
        for (var i = 0; i < group.Count; i++)
            if (_subscriptions.TryGetValue(group[i], out var channels) && channels.Remove(channel) && channels.Count == 0)
                _subscriptions.Remove(group[i]);
    }

    /// <summary>
    /// After a reconnect, node <paramref name="node"/> lists the channels of this node it still has subscribers for:
    /// that list replaces what was kept for it. Returns those that still exist (the node forgets the others).
    /// </summary>
    uint[] ResubscribeNode(int node, uint[] channels)
    {
        foreach (var (channel, nodes) in _remoteNodes.ToArray())
            if (nodes.Remove(node) && nodes.Count == 0) _remoteNodes.Remove(channel);
        var accepted = new List<uint>(channels.Length);
        foreach (var channel in channels)
            if (SubscribeNode(node, channel)) accepted.Add(channel);
        return [.. accepted];
    }

    static int OwnerOf(uint channel) => (int)(channel & 0xFF);
}
