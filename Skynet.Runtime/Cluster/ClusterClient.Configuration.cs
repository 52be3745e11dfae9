using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace Skynet;

public sealed partial class ClusterClient
{
    /// <summary>The configuration section holding the cluster map: <c>Skynet:Cluster</c>.</summary>
    public const string ConfigurationSection = "Skynet:Cluster";

    /// <summary>
    /// Loads the cluster map from <c>Skynet:Cluster</c> of <paramref name="configuration"/> (skynet's
    /// <c>cluster = "clustername.lua"</c> config): each key is a node name, each value <c>"host:port"</c> or
    /// <c>false</c>; <c>__nowaiting</c> and other <c>__</c> keys are options.
    /// </summary>
    public Task Reload(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var map = new List<KeyValuePair<string, object?>>();
        foreach (var child in configuration.GetSection(ConfigurationSection).GetChildren())
            if (child.Value is not null) map.Add(new(child.Key, child.Value));
        return Reload(map);
    }

    /// <summary>
    /// Loads the cluster map from <paramref name="configuration"/> now and again whenever it changes (a reloaded
    /// <c>appsettings.json</c>), as a <c>cluster.reload()</c> with no argument re-reads skynet's cluster file.
    /// </summary>
    /// <returns>Stops watching when disposed.</returns>
    public IDisposable Watch(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _ = ReloadLogged(configuration);
        return ChangeToken.OnChange(configuration.GetReloadToken, () => _ = ReloadLogged(configuration));
    }

    async Task ReloadLogged(IConfiguration configuration)
    {
        try
        {
            await Reload(configuration).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Microsoft.Extensions.Logging.LoggerExtensions.LogError(_node.Logger, ex, "Reloading the cluster map from {Section} failed: {Reason}", ConfigurationSection, ex.Message);
        }
    }
}
