// skynet's cluster examples, ported one to one (examples/cluster1.lua and examples/cluster2.lua).
//
// Run:   dotnet run --project samples/Skynet.Samples.Cluster -- db       nodes db (127.0.0.1:2528) and db2 (127.0.0.1:2529);
//                                                                         stays up until Ctrl+C, as cluster1.lua does
//        dotnet run --project samples/Skynet.Samples.Cluster -- client   cluster2.lua against the map in appsettings.json
//                                                                         (Skynet:Cluster); prints its lines and exits 0
// Either side talks to real skynet's config.c1 / config.c2 unchanged (see docs/cluster.md).
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Skynet;
using Skynet.Samples.ClusterNodes;

var role = args.FirstOrDefault(a => !a.StartsWith('-'));
if (role is not ("db" or "client"))
{
    Console.Error.WriteLine("usage: Skynet.Samples.Cluster db|client");
    return 2;
}

var builder = Host.CreateApplicationBuilder(args.Where(a => a != role).ToArray());
builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
void Print(string line) => Console.WriteLine(line);

if (role == "db")
{
    var db = builder.Configuration["db"] ?? "127.0.0.1:2528";
    var db2 = builder.Configuration["db2"] ?? "127.0.0.1:2529";
    builder.AddSkynet(s => s.AddService("cluster1", () => new Cluster1(db, db2, Print)).Bootstrap("cluster1"));
    await builder.Build().RunAsync();
    return 0;
}

var client = new Cluster2(builder.Configuration, Print);
builder.AddSkynet(s => s.AddService("cluster2", () => client).Bootstrap("cluster2"));
using var host = builder.Build();
await host.StartAsync();
var code = 0;
try
{
    await client.Completion;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"cluster2 failed: {ex.Message}");
    code = 1;
}
await host.StopAsync();
return code;
