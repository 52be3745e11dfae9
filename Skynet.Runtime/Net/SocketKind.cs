namespace Skynet.Net;

/// <summary>What a socket is (see <see cref="SocketInfo.Kind"/>).</summary>
public enum SocketKind
{
    /// <summary>A TCP connection (accepted or opened here).</summary>
    Tcp,

    /// <summary>A listening TCP socket.</summary>
    Listen,

    /// <summary>A UDP socket.</summary>
    Udp,
}
