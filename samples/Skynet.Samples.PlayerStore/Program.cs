// A player store service on PostgreSQL.
//
// Run:   dotnet run --project samples/Skynet.Samples.PlayerStore -- "Host=127.0.0.1;Port=5432;Username=skynet;Database=postgres"
//        (tests/Skynet.Modules.Tests/PlayerStore/postgres.sh start DIR PORT starts a throw-away server)
// It saves a few players from concurrent callers, loads them back and prints them.
using Skynet;
using Skynet.Samples.PlayerStore;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: Skynet.Samples.PlayerStore <npgsql connection string>");
    return 2;
}

await using var node = new SkynetNode(new SkynetOptions());
node.Start();
var store = await node.NewService(new PlayerStore(args[0]));
var saves = Enumerable.Range(1, 10).Select(i => node.Call(store, "save", new Player(i, $"player{i}", i, i * 100L)));
await Task.WhenAll(saves);
for (long id = 1; id <= 10; id++) Console.WriteLine(await node.Call(store, "load", id));
Console.WriteLine($"{await node.Call(store, "count")} players stored");
return 0;
