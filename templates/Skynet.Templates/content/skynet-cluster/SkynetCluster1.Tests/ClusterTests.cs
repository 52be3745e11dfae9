using Microsoft.Extensions.Configuration;
using Skynet;
using Skynet.Testing;

namespace SkynetCluster1.Tests;

/// <summary>Both nodes in this test process, joined over 127.0.0.1 on ports the system picks (port 0).</summary>
public class ClusterTests
{
    [Fact]
    public async Task The_two_nodes_greet_each_other()
    {
        await using var node1 = new SkynetTestNode(options => options.NodeName = "node1");
        await using var node2 = new SkynetTestNode(options => options.NodeName = "node2");
        var port1 = await Serve(node1);
        var port2 = await Serve(node2);
        KeyValuePair<string, object?>[] map = [new("node1", $"127.0.0.1:{port1}"), new("node2", $"127.0.0.1:{port2}")];
        await Cluster.For(node1.Node).Reload(map).WaitAsync(node1.WaitTimeout);
        await Cluster.For(node2.Node).Reload(map).WaitAsync(node2.WaitTimeout);

        var fromNode2 = await node1.RunInsideAsync(_ => Cluster.Call("node2", "@greeter", "hello", "node1"));
        var fromNode1 = await node2.RunInsideAsync(_ => Cluster.Call("node1", "@greeter", "hello", "node2"));

        Assert.Equal("hello node1, this is node2 (1 greeting(s) so far)", fromNode2);
        Assert.Equal("hello node2, this is node1 (1 greeting(s) so far)", fromNode1);
        node1.AssertNoFailures();
        node2.AssertNoFailures();
    }

    [Fact]
    public async Task The_bootstrap_service_opens_the_node_and_greets_its_peer()
    {
        await using var node2 = new SkynetTestNode(options => options.NodeName = "node2");
        var port2 = await Serve(node2);
        await using var node1 = new SkynetTestNode(options => options.NodeName = "node1");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Skynet:Cluster:node1"] = "127.0.0.1:0", // any free port
            ["Skynet:Cluster:node2"] = $"127.0.0.1:{port2}",
        }).Build();

        await node1.NewServiceAsync(new Main(configuration));

        var greeted = await node1.Logs.WaitForAsync(line => line.Message.StartsWith("node2 says:", StringComparison.Ordinal), node1.WaitTimeout);
        Assert.Equal("node2 says: hello node1, this is node2 (1 greeting(s) so far)", greeted.Message);
        node1.AssertNoFailures();
    }

    /// <summary>Starts a greeter registered as @greeter and listens on a free port of 127.0.0.1.</summary>
    static async Task<int> Serve(SkynetTestNode node)
    {
        Cluster.For(node.Node).Register("greeter", await node.NewServiceAsync<Greeter>());
        var endPoint = await Cluster.For(node.Node).Open(0, "127.0.0.1").WaitAsync(node.WaitTimeout);
        return endPoint.Port;
    }
}
