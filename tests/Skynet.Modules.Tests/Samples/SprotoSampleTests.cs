using System.Buffers.Binary;
using System.Net.Sockets;
using Skynet.Samples.Sproto;
using Skynet.Sproto;

namespace Skynet.Modules.Tests.Samples;

/// <summary>
/// The sproto sample driven the way skynet's <c>examples/client.lua</c> drives it (same schemas, same requests, same
/// framing), with this repository's sproto host as the client, over a gate on 127.0.0.1 port 0.
/// </summary>
public sealed class SprotoSampleTests : IAsyncLifetime
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    readonly SkynetNode _node = Main.Register(new SkynetNode(new SkynetOptions { Threads = 2 }));
    int _port;

    public async Task InitializeAsync()
    {
        _node.Start();
        var main = new Main(port: 0);
        await Main.Launch(_node, main).WaitAsync(Patience);
        _port = main.ListenPort;
    }

    public async Task DisposeAsync() => await _node.StopAsync(TimeSpan.FromSeconds(2));

    [Fact]
    public async Task Client_lua_session_handshake_set_get_heartbeat_quit()
    {
        await using var client = await Client.Connect(_port);
        client.Send("handshake", null, 1);
        client.Send("set", new SprotoObject { ["what"] = "hello", ["value"] = "world" }, 2);

        // The agent pushes a heartbeat as soon as it starts, then answers in order.
        var seen = new List<string>();
        while (seen.Count < 3)
        {
            var m = await client.Receive();
            seen.Add(m.Kind == SprotoMessageKind.Request ? $"REQUEST {m.Name}" : $"RESPONSE {m.Session} {m.Args?.Get<string>("msg")}");
        }
        Assert.Contains("REQUEST heartbeat", seen);
        Assert.Contains("RESPONSE 1 Welcome to skynet, I will send heartbeat every 5 sec.", seen);
        Assert.Contains("RESPONSE 2 ", seen); // set has no response type: a bare header answers it

        client.Send("get", new SprotoObject { ["what"] = "hello" }, 3);
        var get = await client.ReceiveResponse();
        Assert.Equal((3L, "world"), (get.Session, get.Args!.Get<string>("result")));

        // The next heartbeat comes 5 seconds after the first.
        var heartbeat = await client.Receive();
        Assert.Equal((SprotoMessageKind.Request, "heartbeat", (long?)null), (heartbeat.Kind, heartbeat.Name, heartbeat.Session));

        client.Send("quit", null, 4);
        Assert.True(await client.ReadsToEnd(), "the server closes the connection after quit");
    }

    [Fact]
    public async Task A_bad_message_is_logged_and_the_connection_keeps_working()
    {
        await using var client = await Client.Connect(_port);
        client.SendRaw([0xff, 0x05, 1, 2]); // a truncated raw run: the agent's dispatch fails, as host:dispatch would
        client.Send("get", new SprotoObject { ["what"] = "nothing" }, 7);
        var get = await client.ReceiveResponse();
        Assert.Equal(7L, get.Session);
        Assert.False(get.Args!.ContainsKey("result"));
    }

    [Fact]
    public async Task Clients_share_simpledb()
    {
        await using var a = await Client.Connect(_port);
        await using var b = await Client.Connect(_port);
        a.Send("set", new SprotoObject { ["what"] = "k", ["value"] = "from a" }, 1);
        await a.ReceiveResponse();
        b.Send("get", new SprotoObject { ["what"] = "k" }, 1);
        Assert.Equal("from a", (await b.ReceiveResponse()).Args!.Get<string>("result"));
    }

    /// <summary>client.lua in C#: a host for s2c, a sender for c2s, u16 big-endian framing.</summary>
    sealed class Client : IAsyncDisposable
    {
        readonly TcpClient _tcp;
        readonly NetworkStream _stream;
        readonly SprotoHost _host = Proto.S2C.Host("package");
        readonly SprotoSender _request;

        Client(TcpClient tcp)
        {
            _tcp = tcp;
            _stream = tcp.GetStream();
            _request = _host.Attach(Proto.C2S);
        }

        public static async Task<Client> Connect(int port)
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync("127.0.0.1", port).WaitAsync(Patience);
            return new Client(tcp);
        }

        public void Send(string name, SprotoObject? args, long session) => SendRaw(_request.Request(name, args, session));

        public void SendRaw(byte[] pack)
        {
            var frame = new byte[2 + pack.Length];
            BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)pack.Length);
            pack.CopyTo(frame, 2);
            _stream.Write(frame);
        }

        public async Task<SprotoMessage> Receive()
        {
            var header = new byte[2];
            await _stream.ReadExactlyAsync(header).AsTask().WaitAsync(Patience);
            var body = new byte[BinaryPrimitives.ReadUInt16BigEndian(header)];
            await _stream.ReadExactlyAsync(body).AsTask().WaitAsync(Patience);
            return _host.Dispatch(body);
        }

        public async Task<SprotoMessage> ReceiveResponse()
        {
            while (true)
            {
                var m = await Receive();
                if (m.Kind == SprotoMessageKind.Response) return m;
            }
        }

        public async Task<bool> ReadsToEnd()
        {
            var buffer = new byte[256];
            while (true)
            {
                try
                {
                    if (await _stream.ReadAsync(buffer).AsTask().WaitAsync(Patience) == 0) return true;
                }
                catch (IOException)
                {
                    return true; // reset by the peer: closed as well
                }
            }
        }

        public ValueTask DisposeAsync()
        {
            _tcp.Dispose();
            return default;
        }
    }
}
