using Skynet;

namespace SkynetNode1;

/// <summary>The bootstrap service: starts the node's unique services, as skynet's main.lua does.</summary>
public sealed class Main : Service
{
    protected override async ValueTask OnStart(object?[] args)
    {
        var countdown = int.Parse(GetEnv("lobby_countdown_seconds") ?? "30", System.Globalization.CultureInfo.InvariantCulture);
        var lobby = await Snax.UniqueService<Lobby>(TimeSpan.FromSeconds(countdown));
        Log($"{Node.Options.NodeName} is up: lobby at {lobby.Target}");
    }
}
