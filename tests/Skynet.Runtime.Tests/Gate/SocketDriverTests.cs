using System.Text;
using Skynet.Net;
using Skynet.Runtime.Tests.Net;
using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Gate;

/// <summary>
/// A third gate written by a user on the public <see cref="SocketDriver"/> only (skynet's socketdriver level): it
/// listens, accepts, reads lines, answers them upper-cased, and closes on "quit"; TLS aside, what GateServer does.
/// </summary>
public sealed class SocketDriverTests
{
    sealed class LineGate(TaskCompletionSource<int> port, List<string> log) : Service
    {
        readonly Dictionary<int, StringBuilder> _lines = [];
        int _listen;

        protected override ValueTask OnStart(object?[] args)
        {
            SocketDriver.Events = OnSocket;
            _listen = SocketDriver.Listen("127.0.0.1", 0);
            SocketDriver.Start(_listen);
            port.SetResult(SocketDriver.LocalEndPoint(_listen)!.Port);
            return default;
        }

        bool OnSocket(SocketMessage message)
        {
            lock (log) log.Add($"{message.Type}");
            switch (message.Type)
            {
                case SocketEventType.Accept when message.Id == _listen:
                    _lines[message.Ud] = new StringBuilder();
                    SocketDriver.NoDelay(message.Ud);
                    SocketDriver.Start(message.Ud);
                    return true;
                case SocketEventType.Data when _lines.TryGetValue(message.Id, out var line):
                    foreach (var c in Encoding.ASCII.GetString(message.Data!))
                    {
                        if (c != '\n')
                        {
                            line.Append(c);
                            continue;
                        }
                        var text = line.ToString();
                        line.Clear();
                        if (text == "quit")
                        {
                            SocketDriver.Send(message.Id, "bye\n"u8.ToArray());
                            SocketDriver.Close(message.Id); // after "bye" is out
                            return true;
                        }
                        SocketDriver.Send(message.Id, Encoding.ASCII.GetBytes(text.ToUpperInvariant() + "\n"));
                    }
                    return true;
                case SocketEventType.Close or SocketEventType.Error:
                    return _lines.Remove(message.Id);
                default:
                    return false;
            }
        }
    }

    [Fact]
    public async Task A_gate_written_on_the_public_socket_driver_serves_clients()
    {
        await using var t = new TestNode();
        var port = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new List<string>();
        var gate = await t.Node.NewService(new LineGate(port, log));
        using var client = await TcpTestClient.Connect(await TestNode.Within(port.Task));
        await client.Send("hello\nwor");
        await client.Send("ld\nquit\n");
        Assert.Equal("HELLO\nWORLD\nbye\n", Encoding.ASCII.GetString(await client.ReadToEnd()));

        var table = await t.Inside(self => new ValueTask<IReadOnlyList<SocketInfo>>(self.SocketDriver.Netstat()));
        var listener = Assert.Single(table, s => s.Owner == gate);
        Assert.Equal(SocketKind.Listen, listener.Kind);
        lock (log) Assert.Contains("Accept", log);
    }
}
