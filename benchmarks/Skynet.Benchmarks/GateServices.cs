using Skynet.Gate;

namespace Skynet.Benchmarks;

/// <summary>A TCP gate agent that echoes each netpack frame by writing the socket directly (the GateService fast path).</summary>
internal sealed class NetPackEchoAgent : Service
{
    protected override ValueTask OnStart(object?[] args)
    {
        Dispatch(PType.Client, static m =>
        {
            var frame = (ClientMessage)m.Payload!;
            Current!.Sockets.Write(frame.Fd, NetPack.Pack(frame.Payload));
            return default;
        });
        return default;
    }
}

/// <summary>A TCP gate agent that echoes each netpack frame through its gate's <c>"response"</c> command: one message more than <see cref="NetPackEchoAgent"/>.</summary>
internal sealed class GateResponseEchoAgent : Service
{
    protected override ValueTask OnStart(object?[] args)
    {
        Dispatch(PType.Client, m =>
        {
            var frame = (ClientMessage)m.Payload!;
            Send(frame.Gate, "response", frame.Fd, frame.Payload);
            return default;
        });
        return default;
    }
}

/// <summary>A WebSocket agent that echoes each message through its gate's <c>"response"</c> (TLS stays in the gate).</summary>
internal sealed class WsEchoAgent : Service
{
    protected override ValueTask OnStart(object?[] args)
    {
        Dispatch(PType.Client, m =>
        {
            var frame = (ClientMessage)m.Payload!;
            Send(frame.Gate, "response", frame.Fd, frame.Payload);
            return default;
        });
        return default;
    }
}

/// <summary>skynet's watchdog reduced to routing: each new client is forwarded to the next agent of a fixed pool.</summary>
internal sealed class EchoWatchdog(Address[] agents) : Service
{
    Address _gate;
    int _next;

    protected override ValueTask OnStart(object?[] args)
    {
        Dispatch(PType.Lua, m =>
        {
            switch (m.Args)
            {
                case ["gate", Address gate]:
                    _gate = gate;
                    Ret();
                    break;
                case ["socket", "open", int fd, _]:
                    Send(_gate, "forward", fd, Address.None, agents[_next++ % agents.Length]);
                    break;
            }
            return default;
        });
        return default;
    }
}
