namespace Skynet.Net;

/// <summary>Where a socket is in its life (see <see cref="SocketInfo.State"/>); every socket ends in <see cref="Closed"/>.</summary>
public enum SocketState
{
    /// <summary>An outgoing TCP connection is being made.</summary>
    Connecting,

    /// <summary>Bound and listening, not accepting yet (skynet's <c>listen</c> before <c>start</c>).</summary>
    Listening,

    /// <summary>Accepting connections (or waiting for descriptors to accept with, see <see cref="NetLimits.DescriptorHeadroom"/>).</summary>
    Accepting,

    /// <summary>Connected but not read: accepted and not started yet, or paused.</summary>
    Connected,

    /// <summary>A server TLS handshake is under way; reading starts when it completes.</summary>
    TlsHandshake,

    /// <summary>Connected and read; Data events flow to the owner. A UDP socket is always here.</summary>
    Reading,

    /// <summary>Closed here gracefully: queued output is still being sent, then the socket closes.</summary>
    Closing,

    /// <summary>Closed; its last event (Close or Error) was posted.</summary>
    Closed,
}
