using System.Net;

namespace Skynet.Net;

/// <summary>
/// The payload of a <see cref="PType.Socket"/> message: one event of a socket owned by the receiving service
/// (skynet's <c>skynet_socket_message</c>). <see cref="SocketApi"/> handles these for you; a service sees them
/// only when it dispatches <see cref="PType.Socket"/> itself.
/// </summary>
public sealed class SocketMessage
{
    internal SocketMessage(SocketEventType type, int id, int ud = 0, byte[]? data = null, string? text = null, IPEndPoint? endPoint = null)
    {
        Type = type;
        Id = id;
        Ud = ud;
        Data = data;
        Text = text;
        EndPoint = endPoint;
    }

    /// <summary>What happened.</summary>
    public SocketEventType Type { get; }

    /// <summary>The socket the event belongs to (for <see cref="SocketEventType.Accept"/>, the listening socket).</summary>
    public int Id { get; }

    /// <summary>The accepted socket's id for <see cref="SocketEventType.Accept"/>; the pending KiB for <see cref="SocketEventType.Warning"/>; otherwise 0.</summary>
    public int Ud { get; }

    /// <summary>The bytes of a <see cref="SocketEventType.Data"/> or <see cref="SocketEventType.Udp"/> event; the receiver owns the array.</summary>
    public byte[]? Data { get; }

    /// <summary>The peer address (<c>ip:port</c>) for <see cref="SocketEventType.Accept"/> and <see cref="SocketEventType.Connect"/>; the reason for <see cref="SocketEventType.Error"/>.</summary>
    public string? Text { get; }

    /// <summary>The sender of a <see cref="SocketEventType.Udp"/> datagram.</summary>
    public IPEndPoint? EndPoint { get; }

    /// <inheritdoc/>
    public override string ToString() => $"socket {Id} {Type}{(Ud != 0 ? $" {Ud}" : "")}{(Data is null ? "" : $" {Data.Length} bytes")}{(Text is null ? "" : $" {Text}")}";
}
