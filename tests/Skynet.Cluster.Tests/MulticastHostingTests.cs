using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Skynet.ClusterTests;

/// <summary>
/// Multicast across two hosted nodes set up only through configuration and <c>AddSkynet</c>: <c>Skynet:Multicast:Nodes</c>
/// starts the cluster link with the node, <c>Skynet:Cluster</c> is the map (filled in once the port-0 listeners are up,
/// and re-read by the node), the bootstrap service opens the cluster port as a skynet main does.
/// </summary>
public sealed class MulticastHostingTests
{
    sealed class HostedNode : IAsyncDisposable
    {
        readonly TaskCompletionSource<int> _port = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public HostedNode(string name, int harbor, IDictionary<string, string?> extra, Action<Skynet.Hosting.SkynetBuilder>? configure = null)
        {
            var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            var settings = new Dictionary<string, string?>
            {
                ["Skynet:Threads"] = "2",
                ["Skynet:NodeName"] = name,
                ["Skynet:Harbor"] = harbor.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Skynet:Cluster:__nowaiting"] = "false", // calls to a node not in the map yet wait for it
            };
            foreach (var (key, value) in extra) settings[key] = value;
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.AddProvider(Logs);
            Configuration = builder.Configuration;
            builder.AddSkynet(skynet =>
            {
                // skynet's main: cluster.open, on port 0 here; the map learns the port below.
                skynet.AddService("main", () => new LuaService(null, self => self.Fork(async () =>
                {
                    try { _port.TrySetResult((await Cluster.For(self.Node).Open(0, "127.0.0.1")).Port); }
                    catch (Exception ex) { _port.TrySetException(ex); }
                }))).Bootstrap("main");
                configure?.Invoke(skynet);
            });
            Host = builder.Build();
        }

        public IHost Host { get; }
        public ConfigurationManager Configuration { get; }
        public LogCapture Logs { get; } = new();
        public SkynetNode Skynet => Host.Services.GetRequiredService<SkynetNode>();
        public Task<int> Port => _port.Task.WaitAsync(Node.Patience);

        public void SetClusterMap(int portA, int portB)
        {
            IConfiguration configuration = Configuration;
            configuration["Skynet:Cluster:a"] = $"127.0.0.1:{portA}";
            configuration["Skynet:Cluster:b"] = $"127.0.0.1:{portB}";
            ((IConfigurationRoot)Configuration).Reload();
        }

        public async ValueTask DisposeAsync()
        {
            await Host.StopAsync().WaitAsync(Node.Patience);
            Host.Dispose();
        }
    }

    static readonly Dictionary<string, string?> MulticastNodes = new()
    {
        ["Skynet:Multicast:Nodes:1"] = "a",
        ["Skynet:Multicast:Nodes:2"] = "b",
    };

    static async Task Connect(HostedNode a, HostedNode b)
    {
        await Node.Within(a.Host.StartAsync());
        await Node.Within(b.Host.StartAsync());
        var (portA, portB) = (await a.Port, await b.Port);
        a.SetClusterMap(portA, portB);
        b.SetClusterMap(portA, portB);
    }

    [Fact]
    public async Task Two_nodes_configured_only_through_Skynet_Multicast_share_a_channel_with_one_message_per_node_per_publish()
    {
        await using var a = new HostedNode("a", 1, MulticastNodes);
        await using var b = new HostedNode("b", 2, MulticastNodes);
        await Connect(a, b);
        var linkA = ClusterMulticastLink.Of(a.Skynet) ?? throw new Xunit.Sdk.XunitException("AddSkynet did not start the link on a");
        var linkB = ClusterMulticastLink.Of(b.Skynet) ?? throw new Xunit.Sdk.XunitException("AddSkynet did not start the link on b");
        Assert.Equal("b", linkA.Options.Nodes[2]);

        var channel = await Node.Within(Multicast.New(a.Skynet));
        var onA = await MulticastProbe.Subscribe(a.Skynet, channel.Id);
        var onB = new[]
        {
            await MulticastProbe.Subscribe(b.Skynet, channel.Id),
            await MulticastProbe.Subscribe(b.Skynet, channel.Id),
            await MulticastProbe.Subscribe(b.Skynet, channel.Id),
        };

        for (var i = 0; i < 40; i++) channel.Publish($"m{i}");

        string[] expected = [.. Enumerable.Range(0, 40).Select(i => $"m{i}")];
        foreach (var probe in onB.Append(onA))
        {
            await probe.Reached(40);
            Assert.Equal(expected, probe.Messages);
        }
        // One network message per node per publish: 40 publishes, three subscribers on b, 40 cluster pushes a → b.
        Assert.Equal(40, linkA.PublishesSent);
        Assert.Equal(40, linkB.PublishesReceived);
        Assert.Equal(40, linkA.PayloadsEncoded);
        Assert.Equal(new[] { 2 }, await Node.Within(Multicast.RemoteNodes(a.Skynet, channel.Id)));
        Assert.Equal(3, await Node.Within(Multicast.SubscriberCount(b.Skynet, channel.Id)));
    }

    [Fact]
    public async Task AddClusterMulticast_sets_the_options_in_code_and_publishes_from_either_node_reach_both()
    {
        await using var a = new HostedNode("a", 1, MulticastNodes, s => s.AddClusterMulticast(o => o.NodeDownAfter = TimeSpan.FromSeconds(5)));
        await using var b = new HostedNode("b", 2, new Dictionary<string, string?>(), s => s.AddClusterMulticast(o =>
        {
            o.Nodes[1] = "a";
            o.Nodes[2] = "b";
        }));
        await Connect(a, b);
        Assert.Equal(TimeSpan.FromSeconds(5), ClusterMulticastLink.Of(a.Skynet)!.Options.NodeDownAfter);
        Assert.Equal("a", ClusterMulticastLink.Of(b.Skynet)!.Options.Nodes[1]);

        var channel = await Node.Within(Multicast.New(b.Skynet));                     // owned by b this time
        var onA = await MulticastProbe.Subscribe(a.Skynet, channel.Id);
        var onB = await MulticastProbe.Subscribe(b.Skynet, channel.Id);
        new MulticastChannel(a.Skynet, channel.Id).Publish("from a");
        await onB.Reached(1);                                                          // through the owner, b
        channel.Publish("from b");

        await onA.Reached(2);
        await onB.Reached(2);
        Assert.Equal(["from a", "from b"], onA.Messages);
        Assert.Equal(["from a", "from b"], onB.Messages);
    }

    [Fact]
    public async Task A_bad_Skynet_Multicast_section_fails_the_host_start_with_the_key_named()
    {
        await using var a = new HostedNode("a", 1, new Dictionary<string, string?> { ["Skynet:Multicast:Nodes:300"] = "a" });
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Node.Within(a.Host.StartAsync()));
        Assert.Contains("Skynet:Multicast:Nodes:300", error.Message);
    }

    [Fact]
    public void Without_Skynet_Multicast_Nodes_there_is_no_cluster_link()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Skynet:Multicast:NodeDownAfter"] = "00:00:01" }).Build();
        Assert.Null(ClusterMulticastOptions.FromConfiguration(configuration));
        configuration["Skynet:Multicast:Nodes:2"] = "b";
        var options = ClusterMulticastOptions.FromConfiguration(configuration)!;
        Assert.Equal(TimeSpan.FromSeconds(1), options.NodeDownAfter);
        Assert.Equal("b", options.Nodes[2]);
        configuration["Skynet:Multicast:ReconnectDelay"] = "soon";
        Assert.Contains("ReconnectDelay", Assert.Throws<InvalidOperationException>(() => ClusterMulticastOptions.FromConfiguration(configuration)).Message);
    }
}
