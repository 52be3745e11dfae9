using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Skynet;

/// <summary>
/// How a node's multicast reaches the other nodes of its cluster (<see cref="ClusterMulticastLink"/>). Bound from the
/// <c>Skynet:Multicast</c> configuration section; under <c>AddSkynet</c> the link starts with the node when that
/// section names peer nodes:
/// <code>
/// "Skynet": {
///   "NodeName": "a", "Harbor": 1,
///   "Cluster":   { "a": "10.0.0.1:2528", "b": "10.0.0.2:2528" },
///   "Multicast": { "Nodes": { "1": "a", "2": "b" }, "NodeDownAfter": "00:00:30" }
/// }
/// </code>
/// </summary>
public sealed class ClusterMulticastOptions
{
    /// <summary>The configuration section: <c>Skynet:Multicast</c>.</summary>
    public const string ConfigurationSection = "Skynet:Multicast";

    /// <summary>
    /// Harbor → cluster node name for every node that shares channels (this node's own entry is allowed and ignored).
    /// A channel id carries its owner's harbor, so each node needs its own <see cref="SkynetOptions.Harbor"/> (1-255).
    /// </summary>
    public Dictionary<int, string> Nodes { get; } = [];

    /// <summary>
    /// How long a peer whose connection broke may stay unreachable before it is given up for good (its channels
    /// forgotten here, this node's channels no longer sent to it). Until then the link reconnects and resubscribes,
    /// and publishes toward the peer are dropped and counted. <see cref="TimeSpan.Zero"/>: one reconnect attempt.
    /// </summary>
    public TimeSpan NodeDownAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The first pause between reconnect attempts; it doubles up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest pause between reconnect attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How payloads cross; default <see cref="SkynetPackMulticastCodec"/>.</summary>
    public IMulticastCodec? Codec { get; set; }

    /// <summary>
    /// Reads <c>Skynet:Multicast</c> of <paramref name="configuration"/>: <c>Nodes</c> (harbor → node name),
    /// <c>NodeDownAfter</c>, <c>ReconnectDelay</c>, <c>MaxReconnectDelay</c> (TimeSpan strings such as <c>00:00:30</c>).
    /// </summary>
    /// <returns>Null when the section names no node (multicast then stays on this node).</returns>
    /// <exception cref="InvalidOperationException">A harbor is not a number from 1 to 255, or a node name is empty.</exception>
    public static ClusterMulticastOptions? FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(ConfigurationSection);
        var nodes = section.GetSection("Nodes").GetChildren().ToList();
        if (nodes.Count == 0) return null;
        var options = new ClusterMulticastOptions();
        foreach (var entry in nodes)
        {
            if (!int.TryParse(entry.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var harbor) || harbor is < 1 or > 255)
                throw new InvalidOperationException($"{ConfigurationSection}:Nodes:{entry.Key}: the key must be a harbor from 1 to 255.");
            if (string.IsNullOrEmpty(entry.Value))
                throw new InvalidOperationException($"{ConfigurationSection}:Nodes:{entry.Key}: the value must be a cluster node name.");
            options.Nodes[harbor] = entry.Value;
        }
        options.NodeDownAfter = Time(section, nameof(NodeDownAfter), options.NodeDownAfter);
        options.ReconnectDelay = Time(section, nameof(ReconnectDelay), options.ReconnectDelay);
        options.MaxReconnectDelay = Time(section, nameof(MaxReconnectDelay), options.MaxReconnectDelay);
        return options;
    }

    static TimeSpan Time(IConfigurationSection section, string key, TimeSpan fallback)
    {
        if (section[key] is not { Length: > 0 } text) return fallback;
        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && value >= TimeSpan.Zero) return value;
        throw new InvalidOperationException($"{ConfigurationSection}:{key}: '{text}' is not a TimeSpan such as 00:00:30.");
    }
}
