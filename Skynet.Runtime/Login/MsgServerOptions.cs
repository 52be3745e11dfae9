namespace Skynet.Login;

/// <summary>
/// The msgserver part of the configuration of a <see cref="MsgServer"/> (skynet's <c>conf</c> for
/// <c>msgserver.start</c> plus the <c>servername</c> of its <c>open</c> command). The listening side is the usual
/// <see cref="Gate.GateOptions"/> given to <c>open</c>. Plain properties, so it binds from configuration.
/// </summary>
public sealed class MsgServerOptions
{
    /// <summary>This game server's name (skynet's <c>servername</c>): passed to <see cref="MsgServer.RegisterHandler"/> on <c>open</c> and part of every username.</summary>
    public string ServerName { get; set; } = "";

    /// <summary>How many sent responses a user's reconnect cache keeps (skynet's <c>expired_number</c>, default 128).</summary>
    public int ExpiredNumber { get; set; } = 128;

    /// <summary>
    /// How long a connection may stay without sending its handshake frame before it is closed with a log line.
    /// skynet has no such limit; zero or negative disables it.
    /// </summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most connections that have not sent their handshake frame yet. When a new connection would pass it, the
    /// oldest of them is closed (aggregated log line, counted in <see cref="Net.NetStats.Refused"/>), so silent clients
    /// cannot hold the gate's <see cref="Gate.GateOptions.MaxClient"/> slots until their <see cref="HandshakeTimeout"/>.
    /// 0 (the default) means a quarter of the gate's MaxClient, at least 1.
    /// </summary>
    public int MaxPendingHandshakes { get; set; }

    /// <summary>The handshake hmac's algorithm; must match the <see cref="LoginServer"/>'s profile that made the secrets.</summary>
    public LoginProfile Profile { get; set; } = LoginProfile.Compatible;
}
