using Skynet;

namespace SkynetNode1;

/// <summary>
/// A snax service: players join; the first join starts a countdown, and when it ends the match starts.
/// [Accept] methods are one-way (<c>lobby.Post.Join(...)</c>), [Response] methods answer (<c>await lobby.Req.Status()</c>).
/// </summary>
[Service]
public sealed partial class Lobby : Service
{
    readonly List<string> _players = [];
    TimeSpan _countdown;
    bool _counting, _playing;

    void OnInit(TimeSpan countdown)
    {
        _countdown = countdown;
        Log($"lobby open, countdown {countdown}");
    }

    /// <summary>Snax exit: <c>Snax.Kill(lobby, "reason")</c> or <c>Exit("reason")</c>; a node shutdown passes the default.</summary>
    void OnExit(string reason = "node stopped") => Log($"lobby closed ({reason}) with {_players.Count} player(s)");

    /// <summary>Adds a player; the first one starts the countdown.</summary>
    [Accept]
    public void Join(string player)
    {
        if (_playing || _players.Contains(player)) return;
        _players.Add(player);
        if (_counting) return;
        _counting = true;
        SetTimeout(_countdown, StartMatch);
    }

    /// <summary>What the lobby is doing, for example "waiting: 2 player(s)".</summary>
    [Response]
    public string Status() => $"{(_playing ? "playing" : "waiting")}: {_players.Count} player(s)";

    void StartMatch()
    {
        _playing = true;
        Log($"match started at {Now} cs with {string.Join(", ", _players)}");
    }
}
