namespace Skynet;

/// <summary>
/// skynet's <c>service/datacenterd.lua</c>: a node-wide tree of values under hierarchical keys, and callers waiting
/// for keys to be set. Use it through <see cref="DataCenter"/> / <see cref="DataCenterClient"/>; it runs once per node
/// as the unique service <see cref="DataCenter.ServiceName"/>, named <c>.datacenter</c>.
/// </summary>
/// <remarks>
/// Commands (<see cref="PType.Lua"/>): <c>"QUERY", object[] path</c>; <c>"UPDATE", object[] path, value</c> (replies
/// with the old value); <c>"WAIT", object[] path, TimeSpan? timeout</c>. It also answers skynet's own flat form, which other nodes send
/// through the cluster to the node named as the cluster's datacenter: <c>"QUERY", key...</c>, <c>"UPDATE", key...,
/// value</c>, <c>"WAIT", key...</c>, and <c>"WAIT_FOR", milliseconds, key...</c> (replies <c>true, value</c>, or
/// <c>false</c> when the time ran out); there, branch snapshots are sent as <see cref="Codecs.LuaTable"/>. Values are kept by reference, as every
/// in-process message is: store immutable values. A branch read back is an immutable snapshot.
/// </remarks>
public sealed class DataCenterService : Service
{
    /// <summary>The local name the service registers.</summary>
    public const string LocalServiceName = ".datacenter";

    readonly DataCenterTree _tree = new();
    readonly Dictionary<object[], List<Waiter>> _waiting = new(DataCenterPath.Comparer);

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
                else Wait(path, timeout as TimeSpan?, WaiterForm.Local);
                break;
            // skynet's datacenterd form, flat keys: what other nodes send through the cluster (Lua values only).
            case ["QUERY", _, ..] args:
                Ret(DataCenterLua.ToLua(_tree.Get(Keys(args, 1, args.Length))));
                break;
            case ["UPDATE", _, _, ..] args:
                var keys = Keys(args, 1, args.Length - 1);
                var previous = _tree.Set(keys, args[^1]);
                Ret(DataCenterLua.ToLua(previous));
                if (args[^1] is not null) WakeUp(keys);
                break;
            case ["WAIT", _, ..] args:
                var waitKeys = Keys(args, 1, args.Length);
                if (_tree.Get(waitKeys) is { } found) Ret(DataCenterLua.ToLua(found));
                else Wait(waitKeys, null, WaiterForm.Lua);
                break;
            case ["WAIT_FOR", long milliseconds, _, ..] args when milliseconds >= 0:
                var timedKeys = Keys(args, 2, args.Length);
                if (_tree.Get(timedKeys) is { } there) Ret(new object?[] { true, DataCenterLua.ToLua(there) });
                else Wait(timedKeys, TimeSpan.FromMilliseconds(milliseconds), WaiterForm.LuaTimed);
                break;
            default:
                throw new ArgumentException($"datacenter: unknown command from {message.Source}; use DataCenter.Get/Set/Wait.");
        }
        return default;
    }

    static object[] Keys(object?[] args, int from, int to) => DataCenterPath.Check(args[from..to]!);

    enum WaiterForm { Local, Lua, LuaTimed }

    sealed record Waiter(Responder Responder, WaiterForm Form)
    {
        public void Found(object? value) => Responder.Respond(true, Form switch
        {
            WaiterForm.Local => value,
            WaiterForm.Lua => DataCenterLua.ToLua(value),
            _ => new object?[] { true, DataCenterLua.ToLua(value) },
        });

        public void TimedOut() => Responder.Respond(true, Form == WaiterForm.Local ? DataCenterTimedOut.Instance : false);
    }

    void Wait(object[] path, TimeSpan? timeout, WaiterForm form)
    {
        var waiter = new Waiter(Response(), form);
        if (!_waiting.TryGetValue(path, out var queue)) _waiting[path] = queue = [];
        queue.Add(waiter);
        if (timeout is not { } limit) return;
        SetTimeout(limit, () =>
        {
            if (!waiter.Responder.IsPending) return;
            if (_waiting.TryGetValue(path, out var waiting) && waiting.Remove(waiter) && waiting.Count == 0) _waiting.Remove(path);
            waiter.TimedOut();
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
            foreach (var waiter in queue)
                if (waiter.Responder.IsPending) waiter.Found(value);
        }
    }
}
