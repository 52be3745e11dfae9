using Skynet.Gate;

namespace Skynet.Samples.Sproto;

/// <summary>skynet's <c>examples/watchdog.lua</c>: owns the gate and one <see cref="Agent"/> per client.</summary>
public sealed class Watchdog : Service
{
    readonly Dictionary<int, Address> _agent = [];
    Address _gate;
    string _agentService = "agent";

    /// <inheritdoc/>
    /// <remarks>Started with <c>"protobuf"</c> it gives each client a <see cref="Protobuf.ProtobufAgent"/>.</remarks>
    protected override async ValueTask OnStart(object?[] args)
    {
        if (args is ["protobuf", ..]) _agentService = "protobufagent";
        Dispatch(PType.Lua, Handle);
        _gate = await NewService<GateService>();
    }

    async ValueTask Handle(Message message)
    {
        switch (message.Args)
        {
            case ["socket", "open", int fd, string addr]:
                Log($"New client from : {addr}");
                _agent[fd] = await NewService(_agentService);
                await Call(_agent[fd], "start", new AgentConf(_gate, fd, Self));
                break;
            case ["socket", "close", int fd]:
                Console.WriteLine($"socket close\t{fd}");
                await CloseAgent(fd);
                break;
            case ["socket", "error", int fd, var msg]:
                Console.WriteLine($"socket error\t{fd}\t{msg}");
                await CloseAgent(fd);
                break;
            case ["socket", "warning", int fd, var size]:
                Console.WriteLine($"socket warning\t{fd}\t{size}"); // size K bytes haven't been sent out on fd
                break;
            case ["socket", "data", ..]:
                break;
            case ["start", GateOptions conf]:
                Ret(await Call(_gate, "open", conf));
                return;
            case ["close", int fd]:
                await CloseAgent(fd);
                Ret();
                return;
            default:
                throw new InvalidOperationException($"Unknown command {message.Args.FirstOrDefault()}");
        }
        if (message.IsRequest) Ret(); // socket notices are sends ("socket api don't need return")
    }

    async ValueTask CloseAgent(int fd)
    {
        if (!_agent.Remove(fd, out var a)) return;
        await Call(_gate, "kick", fd);
        Send(a, "disconnect"); // disconnect never returns
    }
}

/// <summary>The table <c>watchdog.lua</c> passes to <c>agent.start</c>.</summary>
/// <param name="Gate">The gate that owns the client.</param>
/// <param name="Client">The client's fd.</param>
/// <param name="Watchdog">The watchdog, for <c>close</c>.</param>
public sealed record AgentConf(Address Gate, int Client, Address Watchdog);
