using Skynet.Net;

namespace Skynet;

public abstract partial class Service
{
    SocketApi? _sockets;

    /// <summary>
    /// skynet's <c>skynet.socket</c> for this service: listen, open, read, write and close sockets by node-wide id.
    /// The first use makes it this service's <see cref="PType.Socket"/> dispatch function.
    /// </summary>
    public SocketApi Sockets => _sockets ??= new SocketApi(this);

    SocketDriver? _socketDriver;

    /// <summary>
    /// skynet's <c>socketdriver</c> for this service: listen, connect, start, pause, send and close sockets without
    /// buffering, with their events delivered to this service (<see cref="Net.SocketDriver.Events"/>). For gates.
    /// </summary>
    public SocketDriver SocketDriver => _socketDriver ??= new SocketDriver(this);
}
