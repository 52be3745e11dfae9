namespace Skynet.Samples.Login;

/// <summary>skynet's examples/login/msgagent.lua: echoes each client request after 100 ms.</summary>
public sealed class MsgAgent : Service
{
    Address _gate;
    string _userId = "";
    string _subId = "";

    /// <summary>Registers the lua commands and the client protocol.</summary>
    protected override ValueTask OnStart(object?[] args)
    {
        Dispatch(PType.Lua, async message =>
        {
            switch (message.Arg<string>(0))
            {
                case "login":
                    _gate = message.Source;
                    _userId = message.Arg<string>(1);
                    _subId = message.Arg<string>(2);
                    Log($"{_userId} is login");
                    Ret();
                    break;
                case "logout":
                    // NOTICE: the logout MAY be reentered
                    Log($"{_userId} is logout");
                    await Call(_gate, "logout", _userId, _subId);
                    Ret();
                    Exit();
                    break;
                case "afk":
                    // the connection is broken, but the user may come back
                    Log("AFK");
                    Ret();
                    break;
                default:
                    throw new InvalidOperationException($"msgagent has no command {message.Arg<string>(0)}");
            }
        });
        Dispatch(PType.Client, async message =>
        {
            await Sleep(TimeSpan.FromMilliseconds(100)); // the simple echo service sleeps a while
            Ret(message.Payload);
        });
        return default;
    }
}
