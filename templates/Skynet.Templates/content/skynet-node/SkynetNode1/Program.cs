// The node's entry point: a generic host running one skynet node, configured from appsettings.json ("Skynet").
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Skynet;
using SkynetNode1;

// appsettings.json is read from beside the executable, wherever the node is started from.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
// Services' constructors can take anything registered here, e.g. builder.Services.AddSingleton<IPlayerStore, ...>().
builder.AddSkynet(GameNode.Configure);
await builder.Build().RunAsync();
