using System.Globalization;
using Microsoft.Extensions.Configuration;
using Skynet;

namespace SkynetCluster1;

/// <summary>
/// The bootstrap service (skynet's main.lua with cluster.open): loads the cluster map, publishes a
/// <see cref="Greeter"/> as <c>@greeter</c>, listens where the map puts this node, and greets every other node of the
/// map every few seconds. A peer that is not up yet fails the call at once (NodeDown); the next round tries again.
/// </summary>
public sealed class Main(IConfiguration configuration) : Service
{
    protected override async ValueTask OnStart(object?[] args)
    {
        var me = Node.Options.NodeName;
        await Cluster.For(Node).Reload(configuration);
        Cluster.Register("greeter", await NewService<Greeter>());
        var endPoint = await Cluster.Open(me);
        Log($"{me} is up: cluster port {endPoint.Port}");

        var interval = TimeSpan.FromSeconds(int.Parse(GetEnv("greet_interval_seconds") ?? "5", CultureInfo.InvariantCulture));
        var peers = configuration.GetSection(ClusterClient.ConfigurationSection).GetChildren()
            .Select(node => node.Key)
            .Where(node => node != me && !node.StartsWith("__", StringComparison.Ordinal));
        foreach (var peer in peers) Fork(() => GreetForever(peer, interval));
    }

    async ValueTask GreetForever(string peer, TimeSpan interval)
    {
        while (true)
        {
            try
            {
                Log($"{peer} says: {await Cluster.Call(peer, "@greeter", "hello", Node.Options.NodeName)}");
            }
            catch (CallFailedException ex)
            {
                Log($"{peer} does not answer yet: {ex.Reason}");
            }
            await Sleep(interval);
        }
    }
}
