using Skynet.Gate;
using Skynet.Gate.WebSocket;

namespace Skynet.Samples.Chat;

/// <summary>
/// The room: owns the gate and the one multicast channel, and starts a <see cref="ChatAgent"/> per client
/// (skynet's watchdog pattern). Commands: <c>"start", GateOptions | WebSocketGateOptions</c> replies with the bound
/// port; <c>"channel"</c> replies with the room's channel id.
/// </summary>
public sealed class ChatWatchdog : Service
{
    readonly Dictionary<int, Address> _agents = [];
    MulticastChannel _room = null!;
    Address _gate;
    bool _webSocket;

    /// <inheritdoc/>
    protected override async ValueTask OnStart(object?[] args)
    {
        _room = await Multicast.New();
        Dispatch(PType.Lua, Handle);
    }

    async ValueTask Handle(Message message)
    {
        switch (message.Args)
        {
            case ["start", GateOptions options]:
                options.Watchdog = Self;
                _gate = await NewService<GateService>();
                Ret(await Call(_gate, "open", options));
                return;
            case ["start", WebSocketGateOptions options]:
                options.Watchdog = Self;
                _webSocket = true;
                _gate = await NewService<WebSocketMasterGate>();
                Ret(await Call(_gate, "open", options));
                return;
            case ["channel"]:
                Ret(_room.Id);
                return;
            case ["socket", "open", int fd, string]:
                // message.Source is the gate that owns the connection (a slave, for WebSocket).
                _agents[fd] = await Node.NewService(new ChatAgent(message.Source, fd, _room.Id, _webSocket));
                break;
            case ["socket", "close" or "error", int fd, ..]:
                if (_agents.Remove(fd, out var agent)) Send(agent, "disconnect");
                break;
        }
        if (message.IsRequest) Ret();
    }
}
