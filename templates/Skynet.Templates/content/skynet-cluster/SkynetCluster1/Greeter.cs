using Skynet;

namespace SkynetCluster1;

/// <summary>
/// A "lua"-protocol service that other nodes call as <c>@greeter</c> (skynet's <c>cluster.call(node, "@greeter", ...)</c>;
/// a Lua skynet node could call it the same way).
/// </summary>
public sealed class Greeter : Service
{
    int _greetings;

    protected override ValueTask OnStart(object?[] args)
    {
        Dispatch(PType.Lua, message =>
        {
            switch (message.Arg<string>(0))
            {
                case "hello":
                    _greetings++;
                    Ret($"hello {message.Arg<string>(1)}, this is {Node.Options.NodeName} ({_greetings} greeting(s) so far)");
                    break;
                default:
                    throw new InvalidOperationException($"greeter does not know '{message.Arg<string>(0)}'");
            }
            return default;
        });
        return default;
    }
}
