// The first Skynet for .NET node: the tour of skynet's core API (raw services) and of snax ([Service] classes).
// Run with: dotnet run --project samples/Skynet.Samples.Hello
// Stay up with the debug console after the tour (Ctrl+C or SIGTERM stops it):
//   dotnet run --project samples/Skynet.Samples.Hello -- --stay --Skynet:Console:Port=8000    then: nc 127.0.0.1 8000
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Skynet;
using Skynet.Samples.Hello;

// "--stay" is a flag, not a key=value pair: take it out before the host reads the command line.
var stay = args.Contains("--stay");
var builder = Host.CreateApplicationBuilder(args.Where(a => a != "--stay").ToArray());
if (stay) builder.Configuration[HelloNode.StayKey] = "true";
builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
builder.AddSkynet(HelloNode.Configure);
await builder.Build().RunAsync();
