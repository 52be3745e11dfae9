namespace Skynet.Gate;

/// <summary>
/// One client frame forwarded by <see cref="GateService"/> to an agent as a <see cref="PType.Client"/> message
/// (skynet redirects the raw bytes with the fd as session; here the fd travels in the payload).
/// </summary>
/// <param name="Fd">The client's socket id; reply with <c>Sockets.Write(Fd, NetPack.Pack(reply))</c>.</param>
/// <param name="Payload">The frame's payload, without its length header. The receiver owns it.</param>
public sealed record ClientMessage(int Fd, byte[] Payload);
