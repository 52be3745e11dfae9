namespace Skynet;

/// <summary>
/// skynet's <c>service/datacenterd.lua</c>: a node-wide tree of values under hierarchical keys, and callers waiting
/// for keys to be set. Use it through <see cref="DataCenter"/> / <see cref="DataCenterClient"/>; it runs once per node
/// as the unique service <see cref="DataCenter.ServiceName"/>, named <c>.datacenter</c>.
/// </summary>
/// <remarks>
/// Commands (<see cref="PType.Lua"/>): <c>"QUERY", object[] path</c>; <c>"UPDATE", object[] path, value</c> (replies
/// with the old value); <c>"WAIT", object[] path, TimeSpan? timeout</c>. Values are kept by reference, as every
/// in-process message is: store immutable values. A branch read back is an immutable snapshot.
/// </remarks>
public sealed class DataCenterService : Service
{
    /// <summary>The local name the service registers.</summary>
    public const string LocalServiceName = ".datacenter";

    readonly DataCenterTree _tree = new();
    readonly Dictionary<object[], List<Responder>> _waiting = new(DataCenterPath.Comparer);

    /// <inheritdoc/>
    protected override ValueTask OnStart(object?[] args)
    {
        Register(LocalServiceName);
        Dispatch(PType.Lua, Command);
        return default;
    }

    ValueTask Command(Message message)
    {
        switch (message.Args)
        {
            case ["QUERY", object[] path]:
                Ret(_tree.Get(path));
                break;
            case ["UPDATE", object[] path, var value]:
                var old = _tree.Set(path, value);
                Ret(old);
                if (value is not null) WakeUp(path);
                break;
            case ["WAIT", object[] path, var timeout]:
                if (_tree.Get(path) is { } present) Ret(present);
                else Wait(path, timeout as TimeSpan?);
                break;
            default:
                throw new ArgumentException($"datacenter: unknown command from {message.Source}; use DataCenter.Get/Set/Wait.");
        }
        return default;
    }

    void Wait(object[] path, TimeSpan? timeout)
    {
        var responder = Response();
        if (!_waiting.TryGetValue(path, out var queue)) _waiting[path] = queue = [];
        queue.Add(responder);
        if (timeout is not { } limit) return;
        Timeout(limit, () =>
        {
            if (!responder.IsPending) return;
            if (_waiting.TryGetValue(path, out var waiting) && waiting.Remove(responder) && waiting.Count == 0) _waiting.Remove(path);
            responder.Respond(true, DataCenterTimedOut.Instance);
        });
    }

    /// <summary>Answers the waiters of the path that was set and of every branch above it (they now have a value).</summary>
    void WakeUp(object[] path)
    {
        for (var length = path.Length; length >= 1; length--)
        {
            var prefix = length == path.Length ? path : path[..length];
            if (!_waiting.Remove(prefix, out var queue)) continue;
            var value = _tree.Get(prefix);
            foreach (var responder in queue)
                if (responder.IsPending) responder.Respond(true, value);
        }
    }
}
