namespace Skynet.Net;

/// <summary>What a <see cref="NetSocket"/> is.</summary>
internal enum NetSocketKind
{
    Tcp,
    Listen,
    Udp,
}
