using System.Buffers.Binary;
using System.Net.Sockets;
using Google.Protobuf;
using Skynet.Samples.Sproto;
using Skynet.Samples.Sproto.Protobuf;

namespace Skynet.Modules.Tests.Samples;

/// <summary>The sample's protobuf option: the same session as client.lua's, in protoc-generated messages over the gate.</summary>
public sealed class ProtobufSampleTests : IAsyncLifetime
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    readonly SkynetNode _node = Main.Register(new SkynetNode(new SkynetOptions { Threads = 2 }));
    TcpClient _tcp = null!;
    NetworkStream _stream = null!;

    public async Task InitializeAsync()
    {
        _node.Start();
        var main = new Main(port: 0, protocol: "protobuf");
        await Main.Launch(_node, main).WaitAsync(Patience);
        _tcp = new TcpClient();
        await _tcp.ConnectAsync("127.0.0.1", main.ListenPort).WaitAsync(Patience);
        _stream = _tcp.GetStream();
    }

    public async Task DisposeAsync()
    {
        _tcp.Dispose();
        await _node.StopAsync(TimeSpan.FromSeconds(2));
    }

    void Send(IMessage message) => SendRaw(message.ToByteArray());

    void SendRaw(byte[] payload)
    {
        var frame = new byte[2 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)payload.Length);
        payload.CopyTo(frame, 2);
        _stream.Write(frame);
    }

    async Task<ServerPacket> Receive()
    {
        var header = new byte[2];
        await _stream.ReadExactlyAsync(header).AsTask().WaitAsync(Patience);
        var body = new byte[BinaryPrimitives.ReadUInt16BigEndian(header)];
        await _stream.ReadExactlyAsync(body).AsTask().WaitAsync(Patience);
        return ServerPacket.Parser.ParseFrom(body);
    }

    async Task<ServerPacket> Response(uint session)
    {
        while (true)
        {
            var m = await Receive();
            if (m.Session == session) return m;
            Assert.Equal(ServerPacket.BodyOneofCase.Heartbeat, m.BodyCase);
        }
    }

    [Fact]
    public async Task Handshake_set_get_heartbeat_quit_in_protobuf()
    {
        Send(new ClientPacket { Session = 1, Handshake = new Handshake() });
        Assert.Equal("Welcome to skynet, I will send heartbeat every 5 sec.", (await Response(1)).Handshake.Msg);

        Send(new ClientPacket { Session = 2, Set = new Set { What = "hello", Value = "world" } });
        Assert.Equal(ServerPacket.BodyOneofCase.Done, (await Response(2)).BodyCase);

        SendRaw([0x0a, 0xff, 0xff]); // not a ClientPacket: logged and dropped
        Send(new ClientPacket { Session = 3, Get = new Get { What = "hello" } });
        Assert.Equal("world", (await Response(3)).Get.Result);
        Send(new ClientPacket { Session = 4, Get = new Get { What = "missing" } });
        Assert.False((await Response(4)).Get.HasResult);

        Send(new ClientPacket { Session = 5, Quit = new Quit() });
        var buffer = new byte[64];
        while (true)
        {
            int n;
            try { n = await _stream.ReadAsync(buffer).AsTask().WaitAsync(Patience); }
            catch (IOException) { break; }
            if (n == 0) break;
        }
    }
}
