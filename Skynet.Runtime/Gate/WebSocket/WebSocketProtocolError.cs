using System.Net.WebSockets;

namespace Skynet.Gate.WebSocket;

/// <summary>
/// Why <see cref="WebSocketFrameDecoder"/> failed the connection: the status code to put in the closing frame
/// (1002 protocol error, 1007 invalid payload, 1009 message too big) and a short reason. A value, not an
/// exception, because a misbehaving client is an expected event on a server, not a bug.
/// </summary>
/// <param name="CloseStatus">The close code RFC 6455 prescribes for this failure.</param>
/// <param name="Reason">
/// A short English explanation, at most <see cref="WebSocketFrameWriter.MaxCloseReasonBytes"/> bytes, fit to send as
/// the close reason and to log. A constant string: producing an error does not allocate.
/// </param>
public readonly record struct WebSocketProtocolError(WebSocketCloseStatus CloseStatus, string Reason);
