using Skynet.Gate;
using Skynet.Net;
using Skynet.Gate.WebSocket;

namespace Skynet.Samples.Gate;

/// <summary>
/// skynet's <c>examples/watchdog.lua</c>: owns the gate and starts one <see cref="Agent"/> per client. Started with
/// <see cref="GateOptions"/> it runs the TCP <see cref="GateService"/>; with <see cref="WebSocketGateOptions"/> a
/// <see cref="WebSocketMasterGate"/> (ws, or wss when a certificate file is set) and its slaves.
/// </summary>
public sealed class Watchdog : Service
{
    readonly Dictionary<int, Address> _agents = [];
    Address _gate;

    /// <inheritdoc/>
    protected override ValueTask OnStart(object?[] args)
    {
        Dispatch(PType.Lua, Handle);
        return default;
    }

    async ValueTask Handle(Message message)
    {
        var args = message.Args;
        switch (args)
        {
            case ["start", GateOptions options]:
                _gate = await NewService<GateService>();
                Ret(await Call(_gate, "open", options));
                return;
            case ["start", WebSocketGateOptions options]:
                _gate = await NewService<WebSocketMasterGate>();
                Ret(await Call(_gate, "open", options));
                return;
            case ["close", int fd]:
                await CloseAgent(fd);
                Ret();
                return;
            case ["socket", "open", int fd, string address]:
                Log($"New client from : {address}");
                var agent = await NewService<Agent>();
                _agents[fd] = agent;
                try
                {
                    await Call(agent, "start", _gate, fd, Self);
                }
                catch (CallFailedException)
                {
                    // The client left while its agent started: the gate told us "close" again, which ends the agent.
                }
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
                // A client that stops reading warns for every further 64 KiB: one line per 10 s is enough.
                this.LogAggregated("socket warning", Microsoft.Extensions.Logging.LogLevel.Warning, $"socket warning {fd} {size}K");
                break;
        }
        if (message.IsRequest) Ret(); // the socket notices are sends; a call of anything else gets an empty answer
    }

    async ValueTask CloseAgent(int fd)
    {
        if (!_agents.Remove(fd, out var agent)) return;
        await Call(_gate, "kick", fd);
        Send(agent, "disconnect");
    }
}
