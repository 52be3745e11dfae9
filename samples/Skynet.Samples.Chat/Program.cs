// A chat room on skynet's gate + multicast: every frame any client sends reaches every connected client, the sender
// included, unchanged, through one multicast channel.
//
// Run:   dotnet run --project samples/Skynet.Samples.Chat -- --port 8888          (TCP, netpack: u16 big-endian length + payload)
//        dotnet run --project samples/Skynet.Samples.Chat -- --ws --port 8888     (WebSocket; text stays text, binary stays binary)
// Flags: --port N (default 8888; 0 picks a free port), --exit-after-seconds S (stop by itself, for smoke tests).
using Microsoft.Extensions.Logging;
using Skynet;
using Skynet.Samples.Chat;

var port = 8888;
var exitAfter = TimeSpan.Zero;
var webSocket = false;
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
            webSocket = true;
            break;
        default:
            Console.Error.WriteLine("usage: Skynet.Samples.Chat [--port N] [--ws] [--exit-after-seconds S]");
            return 2;
    }
}

using var logging = LoggerFactory.Create(builder => builder.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
var node = new SkynetNode(new SkynetOptions { LoggerFactory = logging });
node.Start();
try
{
    var (_, bound, channel) = await ChatServer.Start(node, port, webSocket);
    Console.WriteLine(webSocket
        ? $"Chat listening on ws://127.0.0.1:{bound}/ (channel {channel:x})"
        : $"Chat listening on 127.0.0.1:{bound} (channel {channel:x})");

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
