using System.Diagnostics.CodeAnalysis;

namespace Skynet.Hosting;

/// <summary>Describes a node for <c>AddSkynet</c>: its services and the one it boots with (skynet's <c>start</c>).</summary>
public sealed class SkynetBuilder
{
    internal List<Action<SkynetNode>> Registrations { get; } = [];
    internal List<Action<SkynetOptions>> Configurations { get; } = [];
    internal string? BootstrapName { get; private set; }
    internal object?[] BootstrapArgs { get; private set; } = [];
    internal List<Action<ClusterMulticastOptions>>? MulticastConfigurations { get; private set; }

    /// <summary>Registers <typeparamref name="T"/> under <paramref name="name"/> (default: its type name); its constructor takes the host's services.</summary>
    public SkynetBuilder AddService<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(string? name = null) where T : Service
    {
        Registrations.Add(node => node.AddService<T>(name));
        return this;
    }

    /// <summary>Registers a service factory under <paramref name="name"/>.</summary>
    public SkynetBuilder AddService(string name, Func<Service> factory)
    {
        Registrations.Add(node => node.AddService(name, factory));
        return this;
    }

    /// <summary>Changes options after configuration was bound.</summary>
    public SkynetBuilder Configure(Action<SkynetOptions> configure)
    {
        Configurations.Add(configure);
        return this;
    }

    /// <summary>The service started when the node starts (skynet's <c>start</c> config); a failure stops the host.</summary>
    public SkynetBuilder Bootstrap(string name, params object?[] args)
    {
        BootstrapName = name;
        BootstrapArgs = args;
        return this;
    }

    /// <summary>Registers <typeparamref name="T"/> and boots with it.</summary>
    public SkynetBuilder Bootstrap<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(params object?[] args) where T : Service
    {
        AddService<T>();
        return Bootstrap(typeof(T).Name, args);
    }

    /// <summary>
    /// Starts multicast across the cluster with the node (<see cref="ClusterMulticastLink"/>), before the bootstrap
    /// service. Options come from <c>Skynet:Multicast</c> (which alone is enough: this call is only needed to set them
    /// in code), then <paramref name="configure"/>.
    /// </summary>
    public SkynetBuilder AddClusterMulticast(Action<ClusterMulticastOptions>? configure = null)
    {
        MulticastConfigurations ??= [];
        if (configure is not null) MulticastConfigurations.Add(configure);
        return this;
    }
}
