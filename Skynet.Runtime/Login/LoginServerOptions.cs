namespace Skynet.Login;

/// <summary>
/// The configuration of a <see cref="LoginServer"/> (skynet's <c>conf</c> table for <c>snax.loginserver</c>).
/// Plain properties, so it binds from an <c>IConfiguration</c> section (for example <c>Skynet:Login</c>).
/// </summary>
public sealed class LoginServerOptions
{
    /// <summary>The address to listen on (skynet's <c>host</c>); <c>0.0.0.0</c> by default.</summary>
    public string Host { get; set; } = "0.0.0.0";

    /// <summary>The port to listen on (skynet's <c>port</c>); 0 picks a free one, and the server writes the bound port back here.</summary>
    public int Port { get; set; }

    /// <summary>How many slave services run the handshakes (skynet's <c>instance</c>, default 8).</summary>
    public int Instance { get; set; } = 8;

    /// <summary>
    /// Allow one user to log in on several connections at once (skynet's <c>multilogin</c>, default false). When
    /// false, a login of a uid whose previous login is still inside <see cref="LoginServer.LoginHandler"/> gets
    /// <c>406 Not Acceptable</c>.
    /// </summary>
    public bool MultiLogin { get; set; }

    /// <summary>The master's local name without the dot (skynet's <c>name</c>, default <c>login</c>, registered as <c>.login</c>).</summary>
    public string Name { get; set; } = "login";

    /// <summary>
    /// How long a client may take from connecting to sending its token. A client that stalls longer is closed with
    /// a log line; other logins are not affected. skynet has no such limit; zero or negative disables it.
    /// </summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long <c>AuthHandler</c> may take once the token arrived. Past it the client gets <c>401 Unauthorized</c> and
    /// is closed, so a handler that never returns cannot hold a connection and a waiting master call forever
    /// (skynet has no such limit). Zero or negative disables it.
    /// </summary>
    public TimeSpan AuthTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most bytes a client may have unread during the handshake (skynet: 8192); past it the connection is closed.</summary>
    public int MaxLineLength { get; set; } = 8192;

    /// <summary>
    /// The most connections the server holds at once (skynet has no such limit; default 1024). A connection past it is
    /// closed at once, with an aggregated log line, and counted in <see cref="Net.NetStats.Refused"/>.
    /// </summary>
    public int MaxClient { get; set; } = 1024;

    /// <summary>
    /// The most connections still in the line exchange (before their token arrived). When a new connection would pass
    /// it, the oldest of them is closed to make room, so a few silent clients cannot lock everyone out until their
    /// <see cref="HandshakeTimeout"/>. 0 (the default) means a quarter of <see cref="MaxClient"/>, at least 1.
    /// </summary>
    public int MaxPendingHandshakes { get; set; }

    internal int ResolvedMaxPendingHandshakes => MaxPendingHandshakes > 0 ? MaxPendingHandshakes : Math.Max(1, MaxClient / 4);

    /// <summary>The kernel's queue of connections not yet accepted.</summary>
    public int Backlog { get; set; } = 128;

    /// <summary>The algorithms (<see cref="LoginProfile.Compatible"/> by default, what skynet clients speak).</summary>
    public LoginProfile Profile { get; set; } = LoginProfile.Compatible;

    /// <summary>Tests only: replaces <c>crypt.randomkey()</c>, called for the challenge and then for the server's private key.</summary>
    internal Func<byte[]>? RandomKey { get; set; }

    internal LoginServerOptions Clone() => (LoginServerOptions)MemberwiseClone();
}
