using Skynet.Gate;
using Skynet.Sproto;

namespace Skynet.Samples.Sproto;

/// <summary>
/// skynet's <c>examples/agent.lua</c>: one per client. Reads the client's sproto requests (handshake, get, set,
/// quit), answers those that carry a session, and pushes a <c>heartbeat</c> request every 5 seconds.
/// </summary>
public sealed class Agent : Service
{
    /// <summary>skynet.sleep(500).</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);

    Address _watchdog;
    SprotoHost? _host;
    SprotoSender? _sendRequest;
    int _clientFd;

    /// <inheritdoc/>
    protected override ValueTask OnStart(object?[] args)
    {
        Dispatch(PType.Client, OnClient);
        Dispatch(PType.Lua, async message =>
        {
            switch (message.Args)
            {
                case ["start", AgentConf conf]:
                    await Start(conf);
                    Ret();
                    return;
                case ["disconnect"]:
                    Exit(); // todo in skynet too: do something before exit
                    break;
            }
            if (message.IsRequest) Ret();
        });
        return default;
    }

    // ---- REQUEST ------------------------------------------------------------------------------------------

    async ValueTask<SprotoObject?> Request(string name, SprotoObject? args)
    {
        switch (name)
        {
            case "get":
                {
                    var what = args?.Get<string>("what");
                    Console.WriteLine($"get\t{what}");
                    var r = await Call(".SIMPLEDB", "get", what);
                    return new SprotoObject { ["result"] = r };
                }
            case "set":
                {
                    var what = args?.Get<string>("what");
                    var value = args?.Get<string>("value");
                    Console.WriteLine($"set\t{what}\t{value}");
                    await Call(".SIMPLEDB", "set", what, value);
                    return null;
                }
            case "handshake":
                return new SprotoObject { ["msg"] = "Welcome to skynet, I will send heartbeat every 5 sec." };
            case "quit":
                await Call(_watchdog, "close", _clientFd);
                return null;
            default:
                throw new InvalidOperationException($"no REQUEST.{name}");
        }
    }

    void SendPackage(byte[] pack) => Sockets.Write(_clientFd, NetPack.Pack(pack)); // string.pack(">s2", pack)

    async ValueTask OnClient(Message message)
    {
        var frame = (ClientMessage)message.Payload!;
        if (frame.Fd != _clientFd) throw new InvalidOperationException($"a frame of fd {frame.Fd} reached the agent of fd {_clientFd}");
        var m = _host!.Dispatch(frame.Payload); // a bad message fails here and is logged, as skynet's unpack error is
        if (m.Kind != SprotoMessageKind.Request) throw new InvalidOperationException("This example doesn't support request client");
        try
        {
            var result = await Request(m.Name, m.Args);
            if (m.Responder is not null) SendPackage(m.Responder.Respond(result));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log(Microsoft.Extensions.Logging.LogLevel.Error, e.Message, e); // pcall(request, ...) failed: skynet.error(result)
        }
    }

    // ---- CMD ----------------------------------------------------------------------------------------------

    async ValueTask Start(AgentConf conf)
    {
        var fd = conf.Client;
        var gate = conf.Gate;
        _watchdog = conf.Watchdog;
        // slot 1,2 set at main
        _host = SprotoLoader.Load(1).Host("package");
        _sendRequest = _host.Attach(SprotoLoader.Load(2));
        Fork(async () =>
        {
            while (true)
            {
                SendPackage(_sendRequest.Request("heartbeat"));
                await Sleep(HeartbeatInterval);
            }
        });
        _clientFd = fd;
        await Call(gate, "forward", fd);
    }
}
