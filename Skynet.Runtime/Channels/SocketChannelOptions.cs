namespace Skynet.Channels;

/// <summary>
/// skynet's <c>socketchannel.channel { host, port, backup, auth, response, nodelay }</c>. Without
/// <see cref="Response"/> the channel is in order mode (each request passes its own reader and responses come in
/// request order); with it, session mode (one reader reads every response and says which session it answers).
/// </summary>
public sealed class SocketChannelOptions
{
    /// <summary>The primary host.</summary>
    public required string Host { get; set; }

    /// <summary>The primary port.</summary>
    public required int Port { get; set; }

    /// <summary>Hosts to try, in order, when the primary one cannot be reached (or fails <see cref="Auth"/>).</summary>
    public IList<SocketChannelEndpoint> Backup { get; set; } = [];

    /// <summary>Runs on each new connection before any other request (login, select a database...). It may send
    /// requests through the connection it is given. If it throws, the next host is tried.</summary>
    public Func<SocketChannelConnection, ValueTask>? Auth { get; set; }

    /// <summary>Session mode: reads one response and returns its session.</summary>
    public Func<SocketChannelReader, ValueTask<SocketChannelResponse>>? Response { get; set; }

    /// <summary>Sets TCP_NODELAY on each connection.</summary>
    public bool NoDelay { get; set; }

    /// <summary>The first pause between connection rounds in <see cref="SocketChannel.Connect"/>; it doubles up to
    /// <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest pause between connection rounds (skynet's 10 s).</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(10);
}
