namespace Skynet;

/// <summary>
/// The seam through which the node's multicast service reaches the multicast services of other nodes (skynet's
/// <c>multicastd</c> talks to its peers through harbor redirects). A channel belongs to the node whose harbor is in
/// the low 8 bits of its id; the owner keeps the set of other nodes that have subscribers and sends each publish
/// <b>once per node</b>, never once per remote subscriber; each node then fans out to its own subscribers.
/// </summary>
/// <remarks>
/// An implementation carries these calls to the named node and, for messages that arrive from other nodes, calls
/// <see cref="Multicast.DeliverRemote"/>, <see cref="Multicast.SubscribeRemote"/>, <see cref="Multicast.UnsubscribeRemote"/>
/// and <see cref="Multicast.DeleteRemote"/> on the receiving node. Without a link a node multicasts only to itself.
/// </remarks>
public interface IMulticastLink
{
    /// <summary>Sends one publish to node <paramref name="harbor"/> (one network message whatever its subscriber count).</summary>
    /// <returns>False when the node is unreachable; the publish is dropped for it.</returns>
    bool Forward(int harbor, Address publisher, MulticastMessage message);

    /// <summary>Asks the owner node <paramref name="harbor"/> to send the channel's publishes to this node (skynet's <c>SUBR</c>).</summary>
    /// <returns>False when the owner has no such channel.</returns>
    Task<bool> Subscribe(int harbor, uint channel);

    /// <summary>Tells the owner node that this node has no subscriber left (skynet's <c>USUBR</c>).</summary>
    void Unsubscribe(int harbor, uint channel);

    /// <summary>Asks node <paramref name="harbor"/> to delete the channel: the owner deletes it everywhere (<c>DEL</c>), a subscriber node forgets it (<c>DELR</c>).</summary>
    void Delete(int harbor, uint channel);
}
