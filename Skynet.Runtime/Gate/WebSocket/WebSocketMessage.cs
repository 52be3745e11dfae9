using System.Net.WebSockets;

namespace Skynet.Gate.WebSocket;

/// <summary>
/// One complete message from <see cref="WebSocketFrameDecoder"/>: a reassembled text or binary message, or a
/// single control frame.
/// </summary>
/// <remarks>
/// <see cref="Payload"/> is unmasked data in a buffer the decoder owns (rented from the shared array pool). It is
/// valid only until the next call to <see cref="WebSocketFrameDecoder.TryReadMessage"/>,
/// <see cref="WebSocketFrameDecoder.Reset"/> or <see cref="WebSocketFrameDecoder.Dispose"/>: copy it to keep it.
/// </remarks>
public readonly struct WebSocketMessage
{
    internal WebSocketMessage(WebSocketMessageKind kind, ReadOnlyMemory<byte> payload, WebSocketCloseStatus? closeStatus = null, string? closeReason = null)
    {
        Kind = kind;
        Payload = payload;
        CloseStatus = closeStatus;
        CloseReason = closeReason;
    }

    /// <summary>What kind of message this is.</summary>
    public WebSocketMessageKind Kind { get; }

    /// <summary>
    /// The unmasked payload: validated UTF-8 for <see cref="WebSocketMessageKind.Text"/>; for
    /// <see cref="WebSocketMessageKind.Close"/> the raw close body (code and reason). Borrowed from the decoder; see the remarks.
    /// </summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>For a close frame, the status code the peer sent, or <see langword="null"/> when the frame had no body (report it as 1005). Otherwise <see langword="null"/>.</summary>
    public WebSocketCloseStatus? CloseStatus { get; }

    /// <summary>For a close frame, the peer's (validated UTF-8) reason, possibly empty. Otherwise <see langword="null"/>.</summary>
    public string? CloseReason { get; }
}
