// An echo server in the shape of skynet's examples/watchdog.lua + agent.lua: the gate accepts clients, the
// watchdog starts one agent per client, and each agent echoes the frames it receives through the gate.
//
// Run:   dotnet run --project samples/Skynet.Samples.Gate -- --port 8888
//        dotnet run --project samples/Skynet.Samples.Gate -- --ws --port 8888              (WebSocket, master + 8 slave gates)
//        dotnet run --project samples/Skynet.Samples.Gate -- --wss cert.pfx [--password P] (WebSocket over TLS)
// Test:  TCP: any client that writes u16 big-endian length-prefixed frames gets them back.
//        ws:  a browser console: s = new WebSocket("ws://127.0.0.1:8888/"); s.onmessage = e => console.log(e.data); s.send("hi")
// Flags: --port N (default 8888; 0 picks a free port), --exit-after-seconds S (stop by itself, for smoke tests).
using Microsoft.Extensions.Logging;
using Skynet;
using Skynet.Gate;
using Skynet.Gate.WebSocket;
using Skynet.Samples.Gate;

var port = 8888;
var exitAfter = TimeSpan.Zero;
var mode = "tcp";
string? certificate = null, password = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--port" when i + 1 < args.Length:
            port = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            break;
        case "--exit-after-seconds" when i + 1 < args.Length:
            exitAfter = TimeSpan.FromSeconds(double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture));
            break;
        case "--ws":
            mode = "ws";
            break;
        case "--wss" when i + 1 < args.Length:
            mode = "wss";
            certificate = args[++i];
            break;
        case "--password" when i + 1 < args.Length:
            password = args[++i];
            break;
        default:
            Console.Error.WriteLine("usage: Skynet.Samples.Gate [--port N] [--ws | --wss cert.pfx [--password P]] [--exit-after-seconds S]");
            return 2;
    }
}

using var logging = LoggerFactory.Create(builder => builder.AddSimpleConsole(console => console.SingleLine = true));
var node = new SkynetNode(new SkynetOptions { LoggerFactory = logging });
node.Start();
try
{
    var watchdog = await node.NewService(new Watchdog());
    object options = mode == "tcp"
        // Clients silent for 5 minutes are closed, so idle connections cannot hold every MaxClient slot.
        ? new GateOptions { Host = "127.0.0.1", Port = port, NoDelay = true, IdleTimeout = TimeSpan.FromMinutes(5) }
        : new WebSocketGateOptions { Host = "127.0.0.1", Port = port, NoDelay = true, IdleTimeout = TimeSpan.FromMinutes(5), CertificateFile = certificate, CertificatePassword = password };
    var bound = await node.Call(watchdog, "start", options);
    Console.WriteLine(mode == "tcp" ? $"Gate listening on 127.0.0.1:{bound}" : $"WebSocket gate listening on {mode}://127.0.0.1:{bound}/");

    using var stop = CancellationTokenSource.CreateLinkedTokenSource(node.ShutdownRequested);
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
    if (exitAfter > TimeSpan.Zero) stop.CancelAfter(exitAfter);
    try { await Task.Delay(Timeout.Infinite, stop.Token); }
    catch (OperationCanceledException) { }
}
finally
{
    await node.StopAsync();
}
return 0;
