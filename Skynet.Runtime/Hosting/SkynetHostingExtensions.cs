using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Skynet.Hosting;

namespace Skynet;

/// <summary><c>AddSkynet</c>: a skynet node as a hosted service.</summary>
public static class SkynetHostingExtensions
{
    /// <summary>The configuration section the node reads (<c>Skynet:Threads</c>, <c>Skynet:Harbor</c>, <c>Skynet:Env:key</c> ...).</summary>
    public const string SectionName = "Skynet";

    /// <summary>
    /// Adds a skynet node that starts and stops with the host. Options come from the <c>Skynet</c> configuration
    /// section; every plain key of the section is also readable with <c>GetEnv</c>, as skynet's config file is.
    /// <c>Skynet:Net</c> sets the node's network limits (<see cref="Net.NetLimits"/>), and <c>Skynet:Cluster</c>, when
    /// present, is the cluster map (node name to <c>"host:port"</c> or <c>false</c>), loaded at start and re-read when
    /// the configuration changes. <c>Skynet:Multicast:Nodes</c> (harbor to cluster node name), when present, starts
    /// multicast across those nodes with the node (<see cref="ClusterMulticastOptions"/>).
    /// Services are created from the host's <see cref="IServiceProvider"/>: their constructors can take anything registered
    /// (<c>ILogger&lt;T&gt;</c>, <c>IOptions&lt;T&gt;</c>, <see cref="TimeProvider"/>, a <c>DbContext</c> factory...), each
    /// instance gets its own scope, disposed when it exits. The node's clock is the <see cref="TimeProvider"/> registered
    /// in the host (<see cref="TimeProvider.System"/> unless a test registers another).
    /// </summary>
    public static HostApplicationBuilder AddSkynet(this HostApplicationBuilder builder, Action<SkynetBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var skynet = new SkynetBuilder();
        configure?.Invoke(skynet);
        builder.Services.AddSingleton(skynet);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(provider => new HostServiceFactory(provider));
        builder.Services.AddSingleton(provider => CreateNode(provider, skynet));
        builder.Services.AddHostedService<SkynetHostedService>();
        builder.Services.AddHostedService<Debugging.DebugConsoleHostedService>();
        return builder;
    }

    static SkynetNode CreateNode(IServiceProvider provider, SkynetBuilder skynet)
    {
        var section = provider.GetRequiredService<IConfiguration>().GetSection(SectionName);
        var options = new SkynetOptions();
        section.Bind(options);
        foreach (var (key, value) in section.AsEnumerable(makePathsRelative: true))
            if (value is not null && !key.StartsWith("Env:", StringComparison.Ordinal)) options.Env.TryAdd(key, value);
        foreach (var child in section.GetSection("Env").GetChildren())
            if (child.Value is not null) options.Env[child.Key] = child.Value;
        options.LoggerFactory ??= provider.GetService<ILoggerFactory>();
        options.TimeProvider = provider.GetRequiredService<TimeProvider>();
        var factory = provider.GetRequiredService<HostServiceFactory>();
        options.ServiceFactory = factory.Create;
        foreach (var configure in skynet.Configurations) configure(options);
        var node = new SkynetNode(options);
        section.GetSection("Net").Bind(Net.NetLimits.For(node)); // Skynet:Net:DescriptorHeadroom, SendBudget, FlushTimeout
        _ = node.Completion.ContinueWith(_ => factory.DisposeLeftoversAsync(), TaskScheduler.Default).Unwrap();
        foreach (var register in skynet.Registrations) register(node);
        return node;
    }
}
