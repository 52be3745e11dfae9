using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Skynet.Hosting;

/// <summary>Runs a <see cref="SkynetNode"/> for the host: starts it and its bootstrap service, and stops it gracefully.</summary>
internal sealed class SkynetHostedService(
    SkynetNode node, SkynetBuilder builder, IConfiguration configuration, IHostApplicationLifetime lifetime, ILogger<SkynetHostedService> logger)
    : IHostedService
{
    CancellationTokenRegistration _shutdown;
    IDisposable? _clusterWatch;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        node.Start();
        _shutdown = node.ShutdownRequested.Register(lifetime.StopApplication);
        // skynet reads its cluster file at start and on cluster.reload(); here the map is Skynet:Cluster, re-read on change.
        if (configuration.GetSection(ClusterClient.ConfigurationSection).GetChildren().Any())
            _clusterWatch = Cluster.For(node).Watch(configuration);
        await StartMulticastLink().ConfigureAwait(false);
        if (builder.BootstrapName is not { } name) return;
        try
        {
            // Not bound to the start token: a bootstrap that finishes its work and calls Shutdown before the host
            // has finished starting would otherwise cancel its own start.
            var address = await node.NewService(name, builder.BootstrapArgs).ConfigureAwait(false);
            logger.LogInformation("Bootstrap service '{Name}' started at {Address}", name, address);
        }
        catch (ServiceStartException ex) when (ex.ExitedDuringStart)
        {
            // skynet's main.lua starts everything and exits; skynet's bootstrap pcalls it, so that is a success.
            logger.LogInformation("Bootstrap service '{Name}' started the node and exited", name);
        }
        catch (Exception ex)
        {
            logger.LogCritical(ex, "Bootstrap service '{Name}' failed to start; stopping the node", name);
            Environment.ExitCode = 1;
            lifetime.StopApplication();
        }
    }

    /// <summary>Multicast across nodes, when <c>Skynet:Multicast:Nodes</c> or <see cref="SkynetBuilder.AddClusterMulticast"/> asks for it.</summary>
    async Task StartMulticastLink()
    {
        var options = ClusterMulticastOptions.FromConfiguration(configuration);
        if (options is null && builder.MulticastConfigurations is null) return;
        options ??= new ClusterMulticastOptions();
        foreach (var configure in builder.MulticastConfigurations ?? []) configure(options);
        await ClusterMulticastLink.Start(node, options).ConfigureAwait(false);
        logger.LogInformation("Multicast across the cluster: harbor {Harbor}, peers {Peers}", node.Harbor,
            string.Join(", ", options.Nodes.Where(p => p.Key != node.Harbor).Select(p => $"{p.Key}={p.Value}")));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _shutdown.DisposeAsync().ConfigureAwait(false);
        _clusterWatch?.Dispose();
        await node.StopAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
