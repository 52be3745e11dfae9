using System.Net;
using System.Net.Sockets;
using System.Text;
using Skynet.Gate;
using Skynet.Gate.WebSocket;
using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Gate.WebSocket;

/// <summary>
/// Clients that reset right after their upgrade, while the watchdog is still starting their agent (skynet's
/// watchdog/agent pattern, as in the Gate sample): every agent must end, however the close and the forward interleave.
/// </summary>
public sealed class WebSocketAgentLeakTests
{
    const int Cycles = 2000;
    const int Parallel = 16;

    [Fact]
    public async Task Thousands_of_clients_resetting_mid_handshake_leave_no_agent_behind()
    {
        await using var t = new TestNode();
        var gate = await t.Node.NewService(new WebSocketMasterGate());
        var watchdog = await t.Node.NewService(new AgentWatchdog(gate));
        var baseline = t.Node.ServiceCount;
        var port = (int)(await TestNode.Within(t.Node.Call(gate, "open", new WebSocketGateOptions { Host = "127.0.0.1", Port = 0, Watchdog = watchdog })))!;
        var servicesWithGate = t.Node.ServiceCount; // the master started its slaves

        var next = 0;
        var upgraded = 0;
        var workers = Enumerable.Range(0, Parallel).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= Cycles)
                if (await UpgradeThenReset(port)) Interlocked.Increment(ref upgraded);
        }));
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(120));
        Assert.True(upgraded > Cycles / 2, $"only {upgraded} of {Cycles} clients were upgraded; the test did not exercise the race");

        // Every notice has been handled once the watchdog's agent table is empty and no agent is left running.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (t.Node.ServiceCount != servicesWithGate && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        Assert.Equal(servicesWithGate, t.Node.ServiceCount);
        Assert.True(baseline < servicesWithGate);
    }

    /// <summary>Sends the upgrade, waits for the 101 (so the watchdog heard "open"), then resets the connection.</summary>
    static async Task<bool> UpgradeThenReset(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TestNode.Patience);
        await socket.SendAsync(Encoding.ASCII.GetBytes(WsRawClient.Upgrade), SocketFlags.None).WaitAsync(TestNode.Patience);
        var buffer = new byte[512];
        var read = 0;
        while (read < 12)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None).AsTask().WaitAsync(TestNode.Patience);
            if (n == 0) return false;
            read += n;
        }
        socket.LingerState = new LingerOption(true, 0); // close sends RST
        return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("HTTP/1.1 101", StringComparison.Ordinal);
    }

    /// <summary>skynet's examples/watchdog.lua: an agent per client, started asynchronously (the window the race needs).</summary>
    sealed class AgentWatchdog(Address gate) : Service
    {
        readonly Dictionary<int, Address> _agents = [];

        protected override ValueTask OnStart(object?[] args)
        {
            Dispatch(PType.Lua, async message =>
            {
                switch (message.Args)
                {
                    case ["socket", "open", int fd, string]:
                        var agent = await NewService<EchoAgent>();
                        _agents[fd] = agent;
                        try
                        {
                            await Call(agent, "start", gate, fd);
                        }
                        catch (CallFailedException)
                        {
                            // the client is gone; the gate repeats its close notice, which ends the agent below
                        }
                        break;
                    case ["socket", "close" or "error", int fd, ..]:
                        if (_agents.Remove(fd, out var gone)) Send(gone, "disconnect");
                        break;
                }
            });
            return default;
        }
    }

    sealed class EchoAgent : Service
    {
        protected override ValueTask OnStart(object?[] args)
        {
            Dispatch(PType.Client, message =>
            {
                var frame = (ClientMessage)message.Payload!;
                Send(frame.Gate, "response", frame.Fd, frame.Payload);
                return default;
            });
            Dispatch(PType.Lua, async message =>
            {
                switch (message.Args)
                {
                    case ["start", Address gate, int fd]:
                        await Call(gate, "forward", fd);
                        Ret();
                        return;
                    case ["disconnect"]:
                        Exit();
                        break;
                }
                if (message.IsRequest) Ret();
            });
            return default;
        }
    }
}
