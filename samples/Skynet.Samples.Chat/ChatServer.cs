using Skynet.Gate;
using Skynet.Gate.WebSocket;

namespace Skynet.Samples.Chat;

/// <summary>Starts the chat room on a node: what <c>Program.cs</c> runs, and what the integration test drives in-process.</summary>
public static class ChatServer
{
    /// <summary>Starts a room listening on 127.0.0.1:<paramref name="port"/> (0: a free port).</summary>
    /// <returns>The watchdog, the bound port and the room's channel id.</returns>
    public static async Task<(Address Watchdog, int Port, uint Channel)> Start(SkynetNode node, int port, bool webSocket)
    {
        var watchdog = await node.NewService(new ChatWatchdog());
        object options = webSocket
            ? new WebSocketGateOptions { Host = "127.0.0.1", Port = port, NoDelay = true }
            : new GateOptions { Host = "127.0.0.1", Port = port, NoDelay = true };
        var bound = (int)(await node.Call(watchdog, "start", options))!;
        var channel = (uint)(await node.Call(watchdog, "channel"))!;
        return (watchdog, bound, channel);
    }
}
