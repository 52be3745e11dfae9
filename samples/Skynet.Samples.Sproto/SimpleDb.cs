namespace Skynet.Samples.Sproto;

/// <summary>skynet's <c>examples/simpledb.lua</c>: a key/value table registered as <c>.SIMPLEDB</c>.</summary>
public sealed class SimpleDb : Service
{
    readonly Dictionary<string, object?> _db = [];

    /// <inheritdoc/>
    protected override ValueTask OnStart(object?[] args)
    {
        Dispatch(PType.Lua, message =>
        {
            var args = message.Args;
            var cmd = (args.Length > 0 ? args[0] as string : null)?.ToUpperInvariant();
            switch (cmd, args)
            {
                case ("PING", [_, string str]):
                    if (str.Length > 20) str = $"{str[..20]}...({str.Length})";
                    Log($"{message.Source} ping {str}");
                    if (message.IsRequest) Ret(); // skynet asserts PING is a send; a call still gets its answer here
                    return default;
                case ("GET", [_, string key]):
                    Ret(_db.GetValueOrDefault(key));
                    return default;
                case ("SET", [_, string key, var value]):
                    var last = _db.GetValueOrDefault(key);
                    _db[key] = value;
                    Ret(last);
                    return default;
                default:
                    throw new InvalidOperationException($"Unknown command {cmd}");
            }
        });
        Register(".SIMPLEDB"); // skynet registers the global name SIMPLEDB; a node without a cluster has local names only
        return default;
    }
}
