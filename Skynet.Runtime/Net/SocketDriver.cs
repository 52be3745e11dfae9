using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Skynet.Net;

/// <summary>
/// skynet's <c>socketdriver</c> for one service, reached as <see cref="Service.SocketDriver"/>: the socket layer
/// without buffering or coroutines, for writing gates. Sockets are node-wide ids; their events (Data, Accept, Close,
/// Error, Warning ...) come to the owning service as <see cref="SocketMessage"/>s, and <see cref="Events"/> sees them
/// before <see cref="SocketApi"/> does. <see cref="Gate.GateServer"/> and <see cref="Gate.WebSocket.WebSocketGate"/>
/// are written on exactly this API, as a third gate of yours would be.
/// </summary>
/// <remarks>
/// Call it from the service's own code (writes may come from anywhere). Accepted sockets belong to the listener's
/// owner and stay unread until <see cref="Start"/>; <see cref="Start"/> from another service hands a socket over.
/// Every socket ends with exactly one Close or Error event.
/// </remarks>
public sealed class SocketDriver
{
    readonly Service _service;
    readonly SocketApi _api;
    readonly SocketServer _server;

    internal SocketDriver(Service service)
    {
        _service = service;
        _api = service.Sockets; // one PType.Socket dispatch per service: the driver's events go through it first
        _server = _api.Server;
    }

    /// <summary>
    /// Sees every socket event of this service first (skynet's <c>PTYPE_SOCKET</c> dispatch of a gate). Return true
    /// when the event was yours; false passes it on to <see cref="SocketApi"/>, which handles the sockets it manages
    /// (and closes an accepted socket nobody wants). Data events are acknowledged for flow control before this runs.
    /// </summary>
    public Func<SocketMessage, bool>? Events
    {
        get => _api.RawHandler;
        set => _api.RawHandler = value;
    }

    /// <summary>Binds a listening TCP socket (<c>socketdriver.listen</c>); <see cref="Start"/> starts accepting.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">The address cannot be bound, or the node has no descriptor left for it.</exception>
    public int Listen(string? host, int port, int backlog = 128)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        return _server.Listen(host, port, backlog, _service);
    }

    /// <summary>Connects (<c>socketdriver.connect</c>); a Connect event (reading already) or an Error event follows.</summary>
    public int Connect(string host, int port)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        if (port is < 1 or > 65535) throw new ArgumentOutOfRangeException(nameof(port), port, "A port to connect to is 1..65535.");
        return _server.Connect(host, port, _service);
    }

    /// <summary>
    /// Makes this service the owner and starts it (<c>socketdriver.start</c>): a listener accepts (Accept events), a
    /// connection is read (Data events), a paused connection reads again.
    /// </summary>
    /// <returns>False when <paramref name="id"/> is not open.</returns>
    public bool Start(int id) => _server.Start(id, _service);

    /// <summary>
    /// Makes this service the owner of an accepted, unstarted connection and runs a server TLS handshake on it; then
    /// Data events carry decrypted bytes, writes are encrypted, and a graceful <see cref="Close"/> sends close_notify.
    /// A failed or slow handshake ends the socket with an Error event.
    /// </summary>
    public bool StartTls(int id, X509Certificate2 certificate, TimeSpan handshakeTimeout)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(handshakeTimeout, TimeSpan.Zero);
        return _server.StartTls(id, _service, certificate, handshakeTimeout);
    }

    /// <summary>Stops reading (<c>socketdriver.pause</c>); <see cref="Start"/> reads again.</summary>
    public void Pause(int id) => _server.Pause(id);

    /// <summary>Queues bytes to send (<c>socketdriver.send</c>); the array is not copied: do not change it.</summary>
    /// <returns>False when the socket is closed or closing (or this write passed its write limit, which closes it).</returns>
    public bool Send(int id, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return _server.Write(id, data, lowPriority: false);
    }

    /// <summary>Queues bytes at low priority (<c>socketdriver.lsend</c>): sent whole when the normal queue is empty.</summary>
    public bool LSend(int id, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return _server.Write(id, data, lowPriority: true);
    }

    /// <summary>Closes after the queued output is sent (<c>socketdriver.close</c>); forced after <see cref="NetLimits.FlushTimeout"/>.</summary>
    public void Close(int id) => _server.Close(id);

    /// <summary>Closes at once and drops queued output (<c>socketdriver.shutdown</c>).</summary>
    public void Shutdown(int id) => _server.Shutdown(id);

    /// <summary>Disables Nagle's algorithm (<c>socketdriver.nodelay</c>).</summary>
    public void NoDelay(int id) => _server.NoDelay(id);

    /// <summary>The most bytes that may wait to be sent on <paramref name="id"/>; past it the socket ends with an Error. 0: no limit.</summary>
    public void SetWriteLimit(int id, long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        _server.SetWriteLimit(id, bytes);
    }

    /// <summary>The local address (the bound port of a listener), or null when closed.</summary>
    public IPEndPoint? LocalEndPoint(int id) => _server.LocalEndPoint(id) as IPEndPoint;

    /// <summary>The peer of a connection, or null.</summary>
    public IPEndPoint? RemoteEndPoint(int id) => _server.RemoteEndPoint(id) as IPEndPoint;

    /// <summary>Every socket of the node (<c>socketdriver.info</c>, the debug console's <c>netstat</c>).</summary>
    public IReadOnlyList<SocketInfo> Netstat() => _server.Netstat();

    /// <summary>The socket layer's totals (descriptor budget, refusals, queued output).</summary>
    public NetStats Stats() => _api.Stats();
}
