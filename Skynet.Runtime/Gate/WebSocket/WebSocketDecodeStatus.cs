namespace Skynet.Gate.WebSocket;

/// <summary>The outcome of <see cref="WebSocketFrameDecoder.TryReadMessage"/>.</summary>
public enum WebSocketDecodeStatus : byte
{
    /// <summary>No complete message yet: read more bytes and call again with everything not consumed.</summary>
    NeedMoreData,

    /// <summary>A complete message (data or control) was decoded.</summary>
    Message,

    /// <summary>
    /// The peer broke the protocol. Send a close frame with the error's status code, then close the connection;
    /// the decoder keeps returning the same error until <see cref="WebSocketFrameDecoder.Reset"/>.
    /// </summary>
    Error,
}
