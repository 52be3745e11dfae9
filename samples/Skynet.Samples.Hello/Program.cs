// The first Skynet for .NET node: the tour of skynet's core API (raw services) and of snax ([Service] classes).
// Run with: dotnet run --project samples/Skynet.Samples.Hello
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Skynet;
using Skynet.Samples.Hello;

var builder = Host.CreateApplicationBuilder(args);
builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
builder.AddSkynet(HelloNode.Configure);
await builder.Build().RunAsync();
