namespace Skynet.Gate;

/// <summary>
/// One client frame forwarded by a gate to an agent as a <see cref="PType.Client"/> message (skynet redirects the
/// raw bytes with the fd as session; here the fd travels in the payload).
/// </summary>
/// <param name="Fd">
/// The client's id. Reply through the gate with <c>Send(Gate, "response", Fd, reply)</c>; a TCP
/// <see cref="GateService"/> client may also be written directly with <c>Sockets.Write(Fd, NetPack.Pack(reply))</c>.
/// </param>
/// <param name="Payload">The frame's payload, without its length header or WebSocket framing. The receiver owns it.</param>
/// <param name="IsText">True for a WebSocket text message (<see cref="Payload"/> is valid UTF-8); false for binary and netpack frames.</param>
/// <param name="Gate">The gate service that owns the connection (a slave of a <see cref="WebSocket.WebSocketMasterGate"/>), where <c>"response"</c> goes.</param>
public sealed record ClientMessage(int Fd, byte[] Payload, bool IsText = false, Address Gate = default);
