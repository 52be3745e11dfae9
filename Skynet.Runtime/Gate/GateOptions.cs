namespace Skynet.Gate;

/// <summary>
/// The configuration a gate opens with (skynet's <c>conf</c> table for <c>gateserver</c>'s <c>open</c> command).
/// Plain properties, so it binds from an <c>IConfiguration</c> section.
/// </summary>
public sealed class GateOptions
{
    /// <summary>The address to listen on (skynet's <c>address</c>); <c>0.0.0.0</c> by default.</summary>
    public string Host { get; set; } = "0.0.0.0";

    /// <summary>The port to listen on; 0 picks a free one, and <see cref="GateServer"/> writes the bound port back here.</summary>
    public int Port { get; set; }

    /// <summary>The most clients connected at once (skynet's <c>maxclient</c>); further connections are closed at once.</summary>
    public int MaxClient { get; set; } = 1024;

    /// <summary>Disable Nagle's algorithm on client connections (skynet's <c>nodelay</c>).</summary>
    public bool NoDelay { get; set; }

    /// <summary>The kernel's queue of connections not yet accepted (skynet's <c>backlog</c>).</summary>
    public int Backlog { get; set; } = 128;

    /// <summary>
    /// The largest client frame accepted, 0..65535 bytes. A client announcing more is an error for that connection
    /// only; this also bounds what one client can make the gate buffer for an incomplete frame.
    /// </summary>
    public int MaxFrameLength { get; set; } = NetPack.MaxPayloadLength;

    /// <summary>
    /// The most bytes that may wait to be sent to one client. A client that does not read is warned about once
    /// 1 MiB waits (<see cref="GateServer.OnWarning"/>), and closed with an error past this limit. 0 means no limit.
    /// </summary>
    public long MaxWriteBuffer { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// Closes a client that sent nothing for this long (with an error, "idle"), so idle connections cannot hold
    /// <see cref="MaxClient"/> slots forever. skynet has no such limit; <see cref="TimeSpan.Zero"/> (the default) disables it.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; }

    /// <summary>The service told about connections (the stock <see cref="GateService"/>); the sender of <c>open</c> when unset.</summary>
    public Address? Watchdog { get; set; }
}
