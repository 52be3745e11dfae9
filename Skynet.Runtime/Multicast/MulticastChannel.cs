using System.Globalization;

namespace Skynet;

/// <summary>
/// A handle on one multicast channel (skynet's channel object from <c>multicast.new</c>). Any number of these may name
/// the same channel id, in any service; each service subscribes through its own.
/// </summary>
/// <remarks>
/// <see cref="Publish"/> is one-way (skynet's publish waits for multicastd; here the publisher goes on at once and the
/// multicast service's mailbox keeps the order). Subscribing makes the multicast protocol
/// (<see cref="PType.Multicast"/>) of the subscribing service belong to the channels: do not dispatch it yourself.
/// </remarks>
public sealed class MulticastChannel
{
    readonly SkynetNode _node;
    Address _service;
    MulticastHandler? _handler;
    Service? _subscriber;

    /// <summary>Binds to an existing channel on the running service's node (skynet's <c>multicast.new{ channel = id }</c>).</summary>
    public MulticastChannel(uint id) : this(Multicast.CurrentNode(), id) { }

    /// <summary>Binds to an existing channel through <paramref name="node"/>.</summary>
    public MulticastChannel(SkynetNode node, uint id)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (id == 0) throw new ArgumentOutOfRangeException(nameof(id), id, "Channel 0 does not exist; create channels with Multicast.New.");
        _node = node;
        Id = id;
    }

    internal MulticastChannel(SkynetNode node, uint id, Address service) : this(node, id) => _service = service;

    /// <summary>The channel id: pass it to other services, which bind with <c>new MulticastChannel(id)</c>.</summary>
    public uint Id { get; }

    /// <summary>True while a service receives this channel through this object.</summary>
    public bool IsSubscribed => _subscriber is not null;

    internal MulticastHandler? Handler => _handler;

    /// <summary>
    /// Publishes <paramref name="message"/> to every subscriber (skynet's <c>channel:publish(...)</c>). The same reference
    /// reaches all of them: publish something nobody will change.
    /// </summary>
    /// <returns>False when the node's multicast service is gone (the message was not taken).</returns>
    /// <exception cref="InvalidOperationException">No multicast service runs on this node.</exception>
    public bool Publish(object? message)
    {
        var publish = new MulticastMessage(Id, message);
        if (Send(Resolve(), publish)) return true;
        _service = default; // the multicast service was restarted: look it up again once
        return Multicast.Find(_node) is { } restarted && Send(_service = restarted, publish);
    }

    bool Send(Address service, MulticastMessage publish) =>
        Service.Current is { } current && ReferenceEquals(current.Node, _node)
            ? current.Send(service, PType.Multicast, publish)
            : _node.Send(service, PType.Multicast, publish);

    /// <summary>
    /// Subscribes the running service (skynet's <c>channel:subscribe()</c>); <paramref name="handler"/> then runs inside
    /// it for every publish. Publishes made after this completes are delivered; subscribing twice does nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called outside a service, from another node's service, or the channel does not exist.</exception>
    public async ValueTask Subscribe(MulticastHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var service = Service.Current ?? throw new InvalidOperationException("Subscribe from inside the service that should receive the channel.");
        if (!ReferenceEquals(service.Node, _node)) throw new InvalidOperationException($"{this} is bound to another node than {service}'s.");
        if (_subscriber is not null)
        {
            if (_subscriber != service) throw new InvalidOperationException($"{this} is already subscribed by {_subscriber}; bind another MulticastChannel in {service}.");
            _handler = handler;
            return;
        }
        if (_service.IsNone) _service = Multicast.Find(_node) ?? await Multicast.Start(_node);
        var subscriptions = MulticastSubscriptions.Of(service);
        subscriptions.Add(this);
        _subscriber = service;
        _handler = handler;
        bool ok;
        try
        {
            ok = (bool)(await service.Call(_service, PType.Lua, new object?[] { "SUB", Id }))!;
        }
        catch
        {
            Detach(subscriptions);
            throw;
        }
        if (!ok)
        {
            Detach(subscriptions);
            throw new InvalidOperationException((Id & 0xFF) == (uint)_node.Harbor
                ? $"{this} does not exist on this node: it was deleted, or never created by Multicast.New."
                : $"{this} belongs to node {Id & 0xFF}, which does not know it or cannot be reached (cross-node channels need an IMulticastLink).");
        }
    }

    /// <summary>Stops receiving (skynet's <c>channel:unsubscribe()</c>); messages already on their way are dropped.</summary>
    /// <exception cref="InvalidOperationException">Called from another service than the subscriber.</exception>
    public void Unsubscribe()
    {
        var subscriber = _subscriber;
        if (subscriber is null) return;
        if (Service.Current != subscriber) throw new InvalidOperationException($"Unsubscribe {this} from inside {subscriber}, the service that subscribed.");
        Detach(MulticastSubscriptions.Of(subscriber));
        subscriber.Send(_service, PType.Lua, new object?[] { "USUB", Id });
    }

    /// <summary>Deletes the channel for everyone (skynet's <c>channel:delete()</c>); later publishes reach nobody.</summary>
    public void Delete()
    {
        var service = Resolve();
        if (_subscriber is { } subscriber && Service.Current == subscriber) Detach(MulticastSubscriptions.Of(subscriber));
        _node.Send(service, PType.Lua, new object?[] { "DEL", Id });
    }

    void Detach(MulticastSubscriptions subscriptions)
    {
        subscriptions.Remove(this);
        _subscriber = null;
        _handler = null;
    }

    Address Resolve()
    {
        if (!_service.IsNone) return _service;
        return _service = Multicast.Find(_node)
            ?? throw new InvalidOperationException($"No multicast service runs on this node yet: create channels with await Multicast.New(), or start it with await Multicast.Start(node), before binding {this}.");
    }

    /// <summary>skynet's form, <c>[Multicast:id]</c> in hex.</summary>
    public override string ToString() => "[Multicast:" + Id.ToString("x", CultureInfo.InvariantCulture) + "]";
}
