using System.Runtime.CompilerServices;

namespace Skynet;

/// <summary>
/// The channels one service subscribed, and its <see cref="PType.Multicast"/> dispatch function (skynet's per-service
/// <c>dispatch</c> table in <c>multicast.lua</c>). Kept beside the service, not inside it: multicast is a module on the
/// public API, so the service does not know about it. Touched only inside the service's turn.
/// </summary>
internal sealed class MulticastSubscriptions
{
    static readonly ConditionalWeakTable<Service, MulticastSubscriptions> s_byService = new();

    readonly Dictionary<uint, MulticastChannel> _channels = [];

    public static MulticastSubscriptions Of(Service service) =>
        s_byService.GetValue(service, static service =>
        {
            var subscriptions = new MulticastSubscriptions();
            service.Dispatch(PType.Multicast, subscriptions.Deliver);
            return subscriptions;
        });

    public void Add(MulticastChannel channel)
    {
        if (_channels.TryGetValue(channel.Id, out var other) && other != channel)
            throw new InvalidOperationException($"This service already subscribed {channel} through another MulticastChannel object; use that one.");
        _channels[channel.Id] = channel;
    }

    public void Remove(MulticastChannel channel)
    {
        if (_channels.TryGetValue(channel.Id, out var current) && current == channel) _channels.Remove(channel.Id);
    }

    ValueTask Deliver(Message message)
    {
        // An unsubscribed channel's messages still on their way are dropped (skynet #1141).
        if (message.Payload is MulticastMessage publish && _channels.TryGetValue(publish.Channel, out var channel) && channel.Handler is { } handler)
            return handler(channel, message.Source, publish.Payload);
        return default;
    }
}
