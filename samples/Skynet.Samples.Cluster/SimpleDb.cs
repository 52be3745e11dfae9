using Microsoft.Extensions.Logging;

namespace Skynet.Samples.ClusterNodes;

/// <summary>skynet's <c>examples/simpledb.lua</c>: GET/SET on the "lua" protocol, PING as a one-way message.</summary>
public sealed class SimpleDb : Service
{
    readonly Dictionary<string, object?> _db = [];

    protected override ValueTask OnStart(object?[] args)
    {
        Dispatch(PType.Lua, message =>
        {
            var request = (object?[])message.Payload!;
            var command = LuaPrint.ToString(request[0]).ToUpperInvariant();
            switch (command)
            {
                case "PING":
                    if (message.Session != 0) throw new InvalidOperationException("PING is a send, not a call");
                    var text = LuaPrint.ToString(request.ElementAtOrDefault(1));
                    if (text.Length > 20) text = $"{text[..20]}...({text.Length})";
                    Log($"{message.Source} ping {text}");
                    return default;
                case "GET":
                    Ret(_db.GetValueOrDefault(Key(request)));
                    return default;
                case "SET":
                    var key = Key(request);
                    var last = _db.GetValueOrDefault(key);
                    _db[key] = request.ElementAtOrDefault(2);
                    Ret(last);
                    return default;
                default:
                    throw new InvalidOperationException($"Unknown command {command}");
            }
        });
        Node.Name(".SIMPLEDB", Self); // skynet.register "SIMPLEDB"
        return default;
    }

    static string Key(object?[] request) => LuaPrint.ToString(request.ElementAtOrDefault(1));
}
