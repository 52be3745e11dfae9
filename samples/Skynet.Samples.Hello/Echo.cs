using Skynet;

namespace Skynet.Samples.Hello;

/// <summary>Answers calls with what it was sent and logs one-way messages.</summary>
public sealed class Echo : Service
{
    protected override ValueTask OnStart(object?[] args)
    {
        Dispatch(PType.Lua, message =>
        {
            if (message.IsRequest) Ret(message.Args[0]);
            else Log($"echo got a one-way message: {message.Args[0]}");
            return default;
        });
        return default;
    }
}
