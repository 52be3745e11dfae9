using System.Net.WebSockets;
using Skynet.Gate.WebSocket;

namespace Skynet.Benchmarks;

/// <summary>
/// ws_echo: 64 <see cref="ClientWebSocket"/> clients on 127.0.0.1, each sending batches of small binary messages to
/// a <see cref="WebSocketMasterGate"/> (8 slaves, plain ws) and reading them back; the echo agents reply through the
/// gate's <c>"response"</c>. The clients (the BCL's managed WebSocket) share the two cores with the node.
/// </summary>
internal sealed class WsEcho : Benchmark
{
    const int Clients = 64;
    const int Batch = 32;
    const int Payload = 16;

    public override string Name => "ws_echo";

    public override async Task RunAsync(Run run)
    {
        var batches = Math.Max(1, run.Scale(600_000) / (Clients * Batch));
        var frames = (long)Clients * Batch * batches;
        var node = StartNode(run);
        try
        {
            var watchdog = await node.NewService(new EchoWatchdog(await EchoGate.Agents(node, Clients, _ => new GateResponseEchoAgent())));
            var gate = await node.NewService(new WebSocketMasterGate());
            await node.Call(watchdog, "gate", gate);
            var port = (int)(await node.Call(gate, "open", new WebSocketGateOptions { Host = "127.0.0.1", Port = 0, Watchdog = watchdog, NoDelay = true }))!;

            var clients = new ClientWebSocket[Clients];
            for (var i = 0; i < Clients; i++)
            {
                clients[i] = new ClientWebSocket();
                await clients[i].ConnectAsync(new Uri($"ws://127.0.0.1:{port}/"), CancellationToken.None);
                await Pump(clients[i], 1);
            }
            var probe = Probe.Start();
            var pumps = new Task[Clients];
            for (var i = 0; i < Clients; i++) pumps[i] = Pump(clients[i], batches);
            await Task.WhenAll(pumps);
            var measured = probe.Stop(frames);
            run.Result(("clients", Clients), ("frames", frames), ("sec", measured.Seconds), ("frames_per_sec", frames / measured.Seconds));
            measured.Report(run, "frame");
            foreach (var client in clients) client.Dispose();
        }
        finally
        {
            await node.StopAsync();
        }
    }

    static async Task Pump(ClientWebSocket client, int batches)
    {
        var payload = new byte[Payload];
        var receive = new byte[4096];
        for (var b = 0; b < batches; b++)
        {
            // Sends and receives overlap: the reader drains echoes while the writer is still sending the batch.
            var reader = Receive(client, receive, Batch);
            for (var i = 0; i < Batch; i++) await client.SendAsync(payload, WebSocketMessageType.Binary, true, CancellationToken.None);
            await reader;
        }
    }

    static async Task Receive(ClientWebSocket client, byte[] buffer, int messages)
    {
        for (var got = 0; got < messages;)
        {
            var result = await client.ReceiveAsync(buffer, CancellationToken.None);
            Run.Check(result.MessageType == WebSocketMessageType.Binary, $"expected an echo, got {result.MessageType} {client.CloseStatus} {client.CloseStatusDescription}");
            if (result.EndOfMessage) got++;
        }
    }
}
