using Skynet.Hosting;

namespace SkynetCluster1;

/// <summary>The node's services and the one it boots with; shared by Program.cs and the tests.</summary>
public static class ClusterNode
{
    /// <summary>Boots with <see cref="Main"/>, which the host creates with its configuration (constructor injection).</summary>
    public static void Configure(SkynetBuilder skynet) => skynet.Bootstrap<Main>();
}
