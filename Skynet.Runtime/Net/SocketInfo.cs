using System.Net;

namespace Skynet.Net;

/// <summary>One socket in <see cref="SocketApi.Netstat"/> (skynet's <c>socket.netstat</c>, shown by the debug console's <c>netstat</c>).</summary>
/// <param name="Id">The node-wide socket id.</param>
/// <param name="Kind">TCP connection, listener or UDP.</param>
/// <param name="State">Where the socket is in its life.</param>
/// <param name="Owner">The service its events go to.</param>
/// <param name="LocalEndPoint">The local address, or null once closed.</param>
/// <param name="RemoteEndPoint">The peer of a connection, or null.</param>
/// <param name="BytesIn">Bytes received so far.</param>
/// <param name="BytesOut">Bytes sent so far.</param>
/// <param name="QueuedBytes">Bytes waiting to be sent now.</param>
/// <param name="Opened">When the socket was opened or accepted (UTC).</param>
public readonly record struct SocketInfo(
    int Id,
    SocketKind Kind,
    SocketState State,
    Address Owner,
    EndPoint? LocalEndPoint,
    EndPoint? RemoteEndPoint,
    long BytesIn,
    long BytesOut,
    long QueuedBytes,
    DateTimeOffset Opened);
