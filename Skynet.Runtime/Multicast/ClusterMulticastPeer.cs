using Microsoft.Extensions.Logging;
using Skynet.Codecs;

namespace Skynet;

/// <summary>
/// The receiving end of a <see cref="ClusterMulticastLink"/>, named <see cref="ClusterMulticastLink.PeerName"/>: it
/// turns the cluster messages of other nodes' links into calls on this node's multicast service, and keeps the
/// liveness calls (one held call per peer in each direction) that tell when a peer is gone.
/// </summary>
/// <remarks>Malformed messages from the network are logged and dropped; the service and the node go on.</remarks>
internal sealed class ClusterMulticastPeer(ClusterMulticastLink link) : Service
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
            case ["SUBR", long from, long channel] when IsHarbor(from) && IsUInt(channel):
                var ok = await Multicast.SubscribeRemote(Node, (int)from, (uint)channel);
                if (ok) Watch((int)from);
                Ret(ok);
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

    void Watch(int harbor)
    {
        if (harbor == Node.Harbor || !link.TryName(harbor, out var name) || !_watching.Add(harbor)) return;
        Fork(async () =>
        {
            var cluster = Cluster.For(Node);
            while (true)
            {
                try
                {
                    await cluster.Call(name, ClusterMulticastLink.PeerName, "WATCH", (long)Node.Harbor);
                }
                catch (CallFailedException ex) when (ex.Failure == CallFailure.Timeout)
                {
                    // ClusterOptions.CallTimeout ended the call, not the connection: ask again (the peer answers the old one).
                }
                catch (CallFailedException ex)
                {
                    Log($"multicast over cluster: node [{name}] (harbor {harbor}) is down, dropping it: {ex.Reason}");
                    break;
                }
            }
            _watching.Remove(harbor);
            Multicast.NodeDown(Node, harbor);
            ThreadPool.QueueUserWorkItem(static state => state.link.RaiseNodeDown(state.harbor), (link, harbor), preferLocal: false);
        });
    }

    static bool IsHarbor(long value) => value is > 0 and <= 255;
    static bool IsUInt(long value) => value is >= 0 and <= uint.MaxValue;

    static string Describe(object?[] args) =>
        args.Length == 0 ? "empty" : $"{args[0] as string ?? args[0]?.GetType().Name ?? "nil"}, {args.Length} value(s)";
}
