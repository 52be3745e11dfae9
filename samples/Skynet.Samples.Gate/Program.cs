// A TCP echo server in the shape of skynet's examples/watchdog.lua + agent.lua: the stock gate accepts
// clients, the watchdog starts one agent per client, and each agent echoes the netpack frames it receives.
//
// Run:   dotnet run --project samples/Skynet.Samples.Gate -- --port 8888
// Test:  any client that writes u16 big-endian length-prefixed frames gets them back.
// Flags: --port N (default 8888; 0 picks a free port), --exit-after-seconds S (stop by itself, for smoke tests).
using Microsoft.Extensions.Logging;
using Skynet;
using Skynet.Gate;
using Skynet.Samples.Gate;

var port = 8888;
var exitAfter = TimeSpan.Zero;
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
        default:
            Console.Error.WriteLine("usage: Skynet.Samples.Gate [--port N] [--exit-after-seconds S]");
            return 2;
    }
}

using var logging = LoggerFactory.Create(builder => builder.AddSimpleConsole(console => console.SingleLine = true));
var node = new SkynetNode(new SkynetOptions { LoggerFactory = logging });
node.Start();
try
{
    var watchdog = await node.NewService(new Watchdog());
    var bound = await node.Call(watchdog, "start", new GateOptions { Host = "127.0.0.1", Port = port, NoDelay = true });
    Console.WriteLine($"Gate listening on 127.0.0.1:{bound}");

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
