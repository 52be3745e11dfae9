// One program, two nodes: run it twice, as skynet runs one binary with config.c1 and config.c2.
//   dotnet run --project SkynetCluster1 -- --Skynet:NodeName=node1
//   dotnet run --project SkynetCluster1 -- --Skynet:NodeName=node2
// Each node listens where the cluster map (appsettings.json, Skynet:Cluster) puts it and greets the other.
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Skynet;
using SkynetCluster1;

// appsettings.json is read from beside the executable, wherever the node is started from.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
builder.AddSkynet(ClusterNode.Configure);
await builder.Build().RunAsync();
