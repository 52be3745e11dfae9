// skynet's examples (main.lua + watchdog.lua + agent.lua + proto.lua) over sproto.
//
// Run:   dotnet run --project samples/Skynet.Samples.Sproto            (gate on 127.0.0.1:8888)
// Test:  skynet's own client, unchanged, from a built skynet tree:  ./3rd/lua/lua examples/client.lua
//        (type a key to 'get' it, 'quit' to leave; heartbeats arrive every 5 seconds)
// Flags: --port N (0 picks a free port), --protobuf (the same protocol in protobuf, Protobuf/game.proto),
//        --exit-after-seconds S (stop by itself, for smoke tests).
using System.Globalization;
using Microsoft.Extensions.Logging;
using Skynet;
using Skynet.Samples.Sproto;

var port = 8888;
var exitAfter = TimeSpan.Zero;
var protocol = "sproto";
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--port" when i + 1 < args.Length:
            port = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--exit-after-seconds" when i + 1 < args.Length:
            exitAfter = TimeSpan.FromSeconds(double.Parse(args[++i], CultureInfo.InvariantCulture));
            break;
        case "--protobuf":
            protocol = "protobuf";
            break;
        default:
            Console.Error.WriteLine("usage: Skynet.Samples.Sproto [--port N] [--protobuf] [--exit-after-seconds S]");
            return 2;
    }
}

using var logging = LoggerFactory.Create(builder => builder.AddSimpleConsole(console => console.SingleLine = true));
var node = Main.Register(new SkynetNode(new SkynetOptions { LoggerFactory = logging }));
node.Start();
try
{
    await Main.Launch(node, new Main(port, protocol));
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
