namespace Skynet.Net;

/// <summary>
/// What a <see cref="SocketMessage"/> reports. The numbers are skynet's <c>SKYNET_SOCKET_TYPE_*</c> constants.
/// </summary>
public enum SocketEventType
{
    /// <summary>Bytes arrived on a TCP connection (<c>SKYNET_SOCKET_TYPE_DATA</c>).</summary>
    Data = 1,

    /// <summary>An outgoing connection was established (<c>SKYNET_SOCKET_TYPE_CONNECT</c>).</summary>
    Connect = 2,

    /// <summary>The socket closed: the peer hung up or it was closed here (<c>SKYNET_SOCKET_TYPE_CLOSE</c>). Always the last event of a socket, unless <see cref="Error"/> is.</summary>
    Close = 3,

    /// <summary>A listening socket accepted a connection; <see cref="SocketMessage.Ud"/> is the new socket's id (<c>SKYNET_SOCKET_TYPE_ACCEPT</c>).</summary>
    Accept = 4,

    /// <summary>The socket failed and is closed; <see cref="SocketMessage.Text"/> says why (<c>SKYNET_SOCKET_TYPE_ERROR</c>).</summary>
    Error = 5,

    /// <summary>A UDP datagram arrived (<c>SKYNET_SOCKET_TYPE_UDP</c>).</summary>
    Udp = 6,

    /// <summary>
    /// More than 1 MiB waits to be sent; <see cref="SocketMessage.Ud"/> is the pending size in KiB, repeated for every further
    /// 64 KiB, and 0 once the queue drains (<c>SKYNET_SOCKET_TYPE_WARNING</c>).
    /// </summary>
    Warning = 7,
}
