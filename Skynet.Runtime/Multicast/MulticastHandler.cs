namespace Skynet;

/// <summary>
/// Receives the messages of a subscribed channel, inside the subscribing service (skynet's <c>dispatch</c> of
/// <c>multicast.new{...}</c>: <c>function(channel, source, ...)</c>).
/// </summary>
/// <param name="channel">The channel object the service subscribed with.</param>
/// <param name="source">The service that published (<see cref="Address.None"/> for a publish from outside the runtime).</param>
/// <param name="message">The published payload, shared with every other subscriber: read it, do not change it.</param>
public delegate ValueTask MulticastHandler(MulticastChannel channel, Address source, object? message);
