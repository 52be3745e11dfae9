using System.Net.WebSockets;
using System.Text;
using Skynet.Runtime.Tests.Net;
using Skynet.Runtime.Tests.TestSupport;
using Skynet.Samples.Chat;

namespace Skynet.Runtime.Tests.Samples;

/// <summary>
/// The chat sample's contract: 200 clients each send 5 frames; every client receives exactly 1 000 frames, unchanged,
/// every client's own frames in order (over TCP with netpack framing, and over WebSocket).
/// </summary>
public class ChatSampleTests
{
    const int Clients = 200, FramesEach = 5, Expected = Clients * FramesEach;

    static byte[] FrameOf(int client, int n) => Encoding.UTF8.GetBytes($"client {client} frame {n}");

    static async Task WaitForMembers(SkynetNode node, uint channel, int count) =>
        await Eventually.True(() => Skynet.Multicast.SubscriberCount(node, channel).Result == count, $"{count} chat agents to subscribe");

    static void AssertReceivedAll(int client, List<byte[]> received)
    {
        Assert.Equal(Expected, received.Count);
        var texts = received.Select(Encoding.UTF8.GetString).ToList();
        var everyFrame = Enumerable.Range(0, Clients).SelectMany(c => Enumerable.Range(0, FramesEach).Select(n => $"client {c} frame {n}"));
        Assert.Equal(everyFrame.Order(StringComparer.Ordinal), texts.Order(StringComparer.Ordinal)); // each exactly once, unchanged
        var own = texts.Where(t => t.StartsWith($"client {client} frame ", StringComparison.Ordinal)).ToList();
        Assert.Equal(Enumerable.Range(0, FramesEach).Select(n => $"client {client} frame {n}"), own);
    }

    [Fact]
    public async Task Over_tcp_every_client_receives_every_frame_its_own_in_order()
    {
        await using var node = new TestNode();
        var (_, port, channel) = await TestNode.Within(ChatServer.Start(node.Node, 0, webSocket: false));
        var clients = new List<TcpTestClient>();
        try
        {
            for (var i = 0; i < Clients; i++) clients.Add(await TcpTestClient.Connect(port));
            await WaitForMembers(node.Node, channel, Clients);

            var readers = clients.Select(async client =>
            {
                var frames = new List<byte[]>(Expected);
                for (var n = 0; n < Expected; n++) frames.Add(await client.ReadFrame());
                return frames;
            }).ToArray();
            await Task.WhenAll(clients.Select(async (client, i) =>
            {
                for (var n = 0; n < FramesEach; n++) await client.SendFrame(FrameOf(i, n));
            }));

            var results = await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(60));
            for (var i = 0; i < Clients; i++) AssertReceivedAll(i, results[i]);
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }

    [Fact]
    public async Task Over_websocket_every_client_receives_every_message_its_own_in_order_text_stays_text()
    {
        await using var node = new TestNode();
        var (_, port, channel) = await TestNode.Within(ChatServer.Start(node.Node, 0, webSocket: true));
        var clients = new List<ClientWebSocket>();
        try
        {
            for (var i = 0; i < Clients; i++)
            {
                var client = new ClientWebSocket();
                await TestNode.Within(client.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/"), CancellationToken.None));
                clients.Add(client);
            }
            await WaitForMembers(node.Node, channel, Clients);

            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var readers = clients.Select(async client =>
            {
                var frames = new List<byte[]>(Expected);
                var buffer = new byte[256];
                for (var n = 0; n < Expected; n++)
                {
                    var result = await client.ReceiveAsync(buffer, patience.Token);
                    Assert.True(result.EndOfMessage);
                    var frame = buffer.AsSpan(0, result.Count).ToArray();
                    var sender = int.Parse(Encoding.UTF8.GetString(frame).Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
                    Assert.Equal(sender % 2 == 0 ? WebSocketMessageType.Text : WebSocketMessageType.Binary, result.MessageType);
                    frames.Add(frame);
                }
                return frames;
            }).ToArray();
            // Even clients send text, odd clients binary: each message comes back as the kind it was sent.
            await Task.WhenAll(clients.Select(async (client, i) =>
            {
                for (var n = 0; n < FramesEach; n++)
                    await client.SendAsync(FrameOf(i, n), i % 2 == 0 ? WebSocketMessageType.Text : WebSocketMessageType.Binary, true, patience.Token);
            }));

            var results = await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(60));
            for (var i = 0; i < Clients; i++) AssertReceivedAll(i, results[i]);
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }

    [Fact]
    public async Task A_client_that_resets_mid_frame_leaves_the_room_and_the_others_go_on()
    {
        await using var node = new TestNode();
        var (_, port, channel) = await TestNode.Within(ChatServer.Start(node.Node, 0, webSocket: false));
        using var stayer = await TcpTestClient.Connect(port);
        var leaver = await TcpTestClient.Connect(port);
        await WaitForMembers(node.Node, channel, 2);

        await leaver.Send([0x00, 0x10, 1, 2, 3]); // announces 16 bytes, sends 3
        leaver.Reset();
        await WaitForMembers(node.Node, channel, 1); // its agent exited and the channel dropped it

        await stayer.SendFrame(Encoding.UTF8.GetBytes("anyone?"));
        Assert.Equal("anyone?", Encoding.UTF8.GetString(await stayer.ReadFrame()));
    }
}
