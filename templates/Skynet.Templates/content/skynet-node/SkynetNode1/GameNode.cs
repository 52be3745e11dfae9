using Skynet.Hosting;

namespace SkynetNode1;

/// <summary>The node's services and the one it boots with (skynet's <c>start</c>); shared by Program.cs and the tests.</summary>
public static class GameNode
{
    /// <summary>Registers the services and boots with <see cref="Main"/>.</summary>
    public static void Configure(SkynetBuilder skynet) => skynet.Bootstrap<Main>();
}
