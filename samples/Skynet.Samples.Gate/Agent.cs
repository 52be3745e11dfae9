using Skynet.Gate;

namespace Skynet.Samples.Gate;

/// <summary>skynet's <c>examples/agent.lua</c>, reduced to an echo: every frame from its client goes straight back.</summary>
public sealed class Agent : Service
{
    /// <inheritdoc/>
    protected override ValueTask OnStart(object?[] args)
    {
        Dispatch(PType.Client, message =>
        {
            var frame = (ClientMessage)message.Payload!;
            Sockets.Write(frame.Fd, NetPack.Pack(frame.Payload));
            return default;
        });
        Dispatch(PType.Lua, async message =>
        {
            switch (message.Args)
            {
                case ["start", Address gate, int fd, Address]:
                    await Call(gate, "forward", fd); // frames of fd now come here as CLIENT messages
                    Ret();
                    break;
                case ["disconnect"]:
                    Exit();
                    break;
            }
        });
        return default;
    }
}
