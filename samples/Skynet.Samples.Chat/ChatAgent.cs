using System.Text;
using Skynet.Gate;

namespace Skynet.Samples.Chat;

/// <summary>
/// One per client: publishes every frame its client sends to the room's channel, and writes every frame of the channel
/// (its client's own included) back to its client.
/// </summary>
/// <param name="gate">The gate service that owns the client's connection (a slave gate, for WebSocket).</param>
/// <param name="fd">The client's id at that gate.</param>
/// <param name="channel">The room's channel id.</param>
/// <param name="webSocket">True when the gate speaks WebSocket (replies go through the gate, which frames them).</param>
public sealed class ChatAgent(Address gate, int fd, uint channel, bool webSocket) : Service
{
    readonly Address _gate = gate;
    readonly int _fd = fd;
    readonly bool _webSocket = webSocket;
    MulticastChannel _room = null!;

    /// <inheritdoc/>
    protected override async ValueTask OnStart(object?[] args)
    {
        _room = new MulticastChannel(channel);
        await _room.Subscribe(Deliver);               // subscribed before the first frame of its client is read
        Dispatch(PType.Client, Publish);
        Dispatch(PType.Lua, message =>
        {
            if (message.Args is ["disconnect"]) Exit();
            return default;
        });
        await Call(_gate, "forward", _fd);            // the client's frames now come here
    }

    ValueTask Publish(Message message)
    {
        var frame = (ClientMessage)message.Payload!;
        object body = frame.IsText ? Encoding.UTF8.GetString(frame.Payload) : frame.Payload;
        _room.Publish(new ChatFrame(_webSocket ? [] : NetPack.Pack(frame.Payload), body));
        return default;
    }

    ValueTask Deliver(MulticastChannel channel, Address source, object? message)
    {
        var frame = (ChatFrame)message!;
        if (_webSocket) Send(_gate, "response", _fd, frame.Body);   // the gate frames it (and encrypts it for wss)
        else Sockets.Write(_fd, frame.Packed);                      // the same array for every client: no copy
        return default;
    }

    /// <inheritdoc/>
    protected override ValueTask OnExit()
    {
        _room.Unsubscribe();
        return default;
    }
}
