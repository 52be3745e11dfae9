using Skynet;

namespace Skynet.Samples.Hello;

/// <summary>skynet's tutorial database: a service named <c>.mydb</c> answering <c>SET</c> and <c>GET</c> on the lua protocol.</summary>
public sealed class MyDb : Service
{
    readonly Dictionary<string, string?> _db = [];

    protected override ValueTask OnStart(object?[] args)
    {
        Dispatch(PType.Lua, message =>
        {
            var args = message.Args;
            switch (args[0])
            {
                case "SET":
                    _db.TryGetValue((string)args[1]!, out var previous);
                    _db[(string)args[1]!] = (string?)args[2];
                    Ret(previous);
                    break;
                case "GET":
                    Ret(_db.GetValueOrDefault((string)args[1]!));
                    break;
                default:
                    throw new ArgumentException($"mydb has no command '{args[0]}'");
            }
            return default;
        });
        Register(".mydb");
        return default;
    }
}
