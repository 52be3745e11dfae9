namespace Skynet.Gate.WebSocket;

/// <summary>The kind of a complete message produced by <see cref="WebSocketFrameDecoder"/>.</summary>
public enum WebSocketMessageKind : byte
{
    /// <summary>A text message; its payload is validated UTF-8.</summary>
    Text,
    /// <summary>A binary message.</summary>
    Binary,
    /// <summary>A ping; a server should answer with a pong carrying the same payload.</summary>
    Ping,
    /// <summary>A pong, usually answering an earlier ping.</summary>
    Pong,
    /// <summary>A close frame; see <see cref="WebSocketMessage.CloseStatus"/> and <see cref="WebSocketMessage.CloseReason"/>.</summary>
    Close,
}
