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
}
