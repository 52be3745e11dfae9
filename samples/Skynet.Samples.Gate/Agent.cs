using System.Text;
using Skynet.Gate;

namespace Skynet.Samples.Gate;

/// <summary>
/// skynet's <c>examples/agent.lua</c>, reduced to an echo: every frame from its client goes straight back through the
/// gate's <c>"response"</c> (the same code for the TCP gate and the WebSocket gate; text stays text).
/// </summary>
public sealed class Agent : Service
{
    /// <inheritdoc/>
    protected override ValueTask OnStart(object?[] args)
    {
        Dispatch(PType.Client, message =>
        {
            var frame = (ClientMessage)message.Payload!;
            if (frame.IsText) Send(frame.Gate, "response", frame.Fd, Encoding.UTF8.GetString(frame.Payload));
            else Send(frame.Gate, "response", frame.Fd, frame.Payload);
            return default;
        });
        Dispatch(PType.Lua, async message =>
        {
            switch (message.Args)
            {
                case ["start", Address gate, int fd, Address]:
                    await Call(gate, "forward", fd); // frames of fd now come here as CLIENT messages
                    Ret();
                    return;
                case ["disconnect"]:
                    Exit();
                    break;
            }
            if (message.IsRequest) Ret(); // a call of anything else still gets an (empty) answer
        });
        return default;
    }
}
