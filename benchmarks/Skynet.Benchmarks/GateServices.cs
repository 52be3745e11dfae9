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

/// <summary>
/// A gate agent that echoes each frame through its gate's <c>"response"</c> command: one message more than
/// <see cref="NetPackEchoAgent"/>; with a WebSocket gate, TLS and framing stay in the gate.
/// </summary>
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

/// <summary>The node side every TCP gate benchmark shares: agents, a routing watchdog, a gate on 127.0.0.1.</summary>
internal static class EchoGate
{
    /// <summary>Starts <paramref name="agents"/> agents (<paramref name="newAgent"/> gets the index), the watchdog and a gate; returns its port.</summary>
    public static async Task<int> Open(SkynetNode node, int agents, Func<int, Service> newAgent, Action<GateOptions>? configure = null)
    {
        var watchdog = await node.NewService(new EchoWatchdog(await Agents(node, agents, newAgent)));
        var gate = await node.NewService(new GateService());
        await node.Call(watchdog, "gate", gate);
        var options = new GateOptions { Host = "127.0.0.1", Port = 0, NoDelay = true };
        configure?.Invoke(options);
        options.Watchdog = watchdog;
        return (int)(await node.Call(gate, "open", options))!;
    }

    public static async Task<Address[]> Agents(SkynetNode node, int count, Func<int, Service> newAgent)
    {
        var agents = new Address[count];
        for (var i = 0; i < count; i++) agents[i] = await node.NewService(newAgent(i));
        return agents;
    }
}
