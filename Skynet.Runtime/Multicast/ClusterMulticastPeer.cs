using Microsoft.Extensions.Logging;
using Skynet.Codecs;

namespace Skynet;

/// <summary>
/// The receiving end of a <see cref="ClusterMulticastLink"/>, named <see cref="ClusterMulticastLink.PeerName"/>: it
/// turns the cluster messages of other nodes' links into calls on this node's multicast service, and keeps the
/// liveness calls (one held call per peer in each direction) that tell when a connection broke, and reconnects
/// (<c>ClusterMulticastPeer.Reconnect.cs</c>).
/// </summary>
/// <remarks>
/// Messages between links: <c>RPUB</c> (a publish), <c>SUBR</c>/<c>USUBR</c>/<c>DEL</c> (skynet's multicastd
/// protocol, SUBR carrying the caller's incarnation and answered with the owner's), <c>WATCH</c> (held, never
/// answered while the connection lives), <c>HELLO</c> (who are you now: the incarnation), <c>RESUB</c> (after a
/// reconnect, the full list of the owner's channels the caller still has subscribers for). Malformed messages from
/// the network are logged and dropped; the service and the node go on.
/// </remarks>
internal sealed partial class ClusterMulticastPeer(ClusterMulticastLink link) : Service
{
    readonly HashSet<int> _watching = [];              // peers this node holds a WATCH call toward
    readonly Dictionary<int, Responder> _watchedBy = []; // peers holding a WATCH call toward this node: one each

    protected override ValueTask OnStart(object?[] args)
    {
        Register(ClusterMulticastLink.PeerName);
        Dispatch(PType.Lua, Command);
        return default;
    }

    async ValueTask Command(Message message)
    {
        switch (message.Args)
        {
            case ["RPUB", long from, long publisher, long channel, var payload] when IsHarbor(from) && IsUInt(publisher) && IsUInt(channel):
                Publish((uint)publisher, (uint)channel, payload, message.Source);
                return;
            case ["SUBR", long from, long channel, long incarnation] when IsHarbor(from) && IsUInt(channel) && incarnation != 0:
                Introduce((int)from, incarnation);
                var ok = await Multicast.SubscribeRemote(Node, (int)from, (uint)channel);
                if (ok) Watch((int)from);
                Ret(ok ? link.Incarnation : false);
                return;
            case ["RESUB", long from, long incarnation, long ownerIncarnation, LuaTable channels] when IsHarbor(from) && incarnation != 0:
                await Resubscribed((int)from, incarnation, ownerIncarnation, channels);
                return;
            case ["HELLO", long from, long incarnation] when IsHarbor(from) && incarnation != 0:
                Introduce((int)from, incarnation);
                Ret(link.Incarnation);
                return;
            case ["USUBR", long from, long channel] when IsHarbor(from) && IsUInt(channel):
                Multicast.UnsubscribeRemote(Node, (int)from, (uint)channel);
                return;
            case ["DEL", long channel] when IsUInt(channel):
                Multicast.DeleteRemote(Node, (uint)channel);
                return;
            case ["WATCH", long from] when IsHarbor(from):
                // Answer the previous call of that peer (it was renewed after a local timeout) and hold the new one.
                if (_watchedBy.Remove((int)from, out var previous)) previous.Respond(true, true);
                _watchedBy[(int)from] = Response();
                return;
            case ["WATCH_NODE", int harbor]: // local only: integers from the network unpack as long
                Watch(harbor);
                return;
            default:
                Log(LogLevel.Warning, $"multicast over cluster: a malformed message from {message.Source} ({Describe(message.Args)}); dropped");
                if (message.IsRequest) Ret(false);
                return;
        }
    }

    /// <summary>
    /// A peer tells which of this node's channels it still has subscribers for, after a reconnect: that list replaces
    /// what this node had for it. Refused (false) when the peer knew another incarnation of this node: ids from
    /// before a restart name other channels now, or none.
    /// </summary>
    async ValueTask Resubscribed(int from, long incarnation, long ownerIncarnation, LuaTable channels)
    {
        if (ownerIncarnation != link.Incarnation)
        {
            Ret(false);
            return;
        }
        var ids = new List<uint>(channels.Array.Count);
        foreach (var item in channels.Array)
            if (item is long id && IsUInt(id)) ids.Add((uint)id);
        Introduce(from, incarnation);
        var accepted = await Multicast.ResubscribeRemote(Node, from, [.. ids]);
        Watch(from);
        var reply = new LuaTable(accepted.Length);
        foreach (var id in accepted) reply.Array.Add((long)id);
        Ret(reply);
    }

    /// <summary>A peer named its incarnation: a new one means it restarted, so what it had here is gone.</summary>
    void Introduce(int harbor, long incarnation)
    {
        if (!link.TryPeer(harbor, out var peer)) return;
        var known = Interlocked.Exchange(ref peer.Incarnation, incarnation);
        if (known == 0 || known == incarnation) return;
        Log($"multicast over cluster: node [{peer.Name}] (harbor {harbor}) restarted; dropping what it had subscribed and owned");
        Multicast.NodeDown(Node, harbor);
        link.Raise(ClusterMulticastEvent.NodeDown, harbor);
    }

    void Publish(uint publisher, uint channel, object? payload, Address source)
    {
        if (ClusterMulticastLink.Bytes(payload) is not { } bytes)
        {
            Log(LogLevel.Warning, $"multicast over cluster: a publish on channel {channel} from {source} carries no payload bytes; dropped");
            return;
        }
        object? value;
        try
        {
            value = link.Codec.Decode(bytes);
        }
        catch (Exception ex) when (ex is PackException or ArgumentException or FormatException or InvalidOperationException)
        {
            Log(LogLevel.Warning, $"multicast over cluster: a publish on channel {channel} does not decode ({ex.Message}); dropped");
            return;
        }
        link.CountReceived();
        Multicast.DeliverRemote(Node, new Address(publisher), new MulticastMessage(channel, value));
    }

    static bool IsHarbor(long value) => value is > 0 and <= 255;
    static bool IsUInt(long value) => value is >= 0 and <= uint.MaxValue;

    static string Describe(object?[] args) =>
        args.Length == 0 ? "empty" : $"{args[0] as string ?? args[0]?.GetType().Name ?? "nil"}, {args.Length} value(s)";
}
