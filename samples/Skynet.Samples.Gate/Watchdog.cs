using Skynet.Gate;

namespace Skynet.Samples.Gate;

/// <summary>skynet's <c>examples/watchdog.lua</c>: owns the gate and starts one <see cref="Agent"/> per client.</summary>
public sealed class Watchdog : Service
{
    readonly Dictionary<int, Address> _agents = [];
    Address _gate;

    /// <inheritdoc/>
    protected override async ValueTask OnStart(object?[] args)
    {
        _gate = await NewService<GateService>();
        Dispatch(PType.Lua, Handle);
    }

    async ValueTask Handle(Message message)
    {
        var args = message.Args;
        switch (args)
        {
            case ["start", GateOptions options]:
                Ret(await Call(_gate, "open", options));
                break;
            case ["close", int fd]:
                await CloseAgent(fd);
                Ret();
                break;
            case ["socket", "open", int fd, string address]:
                Log($"New client from : {address}");
                var agent = await NewService<Agent>();
                _agents[fd] = agent;
                await Call(agent, "start", _gate, fd, Self);
                break;
            case ["socket", "close", int fd]:
                Log($"socket close {fd}");
                await CloseAgent(fd);
                break;
            case ["socket", "error", int fd, string error]:
                Log($"socket error {fd} {error}");
                await CloseAgent(fd);
                break;
            case ["socket", "warning", int fd, int size]:
                Log($"socket warning {fd} {size}K");
                break;
        }
    }

    async ValueTask CloseAgent(int fd)
    {
        if (!_agents.Remove(fd, out var agent)) return;
        await Call(_gate, "kick", fd);
        Send(agent, "disconnect");
    }
}
