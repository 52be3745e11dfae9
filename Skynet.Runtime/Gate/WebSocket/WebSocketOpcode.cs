namespace Skynet.Gate.WebSocket;

/// <summary>The frame opcodes RFC 6455 defines (section 5.2). Other values are reserved and rejected with 1002.</summary>
public enum WebSocketOpcode : byte
{
    /// <summary>A later fragment of a text or binary message.</summary>
    Continuation = 0x0,
    /// <summary>The first (or only) frame of a UTF-8 text message.</summary>
    Text = 0x1,
    /// <summary>The first (or only) frame of a binary message.</summary>
    Binary = 0x2,
    /// <summary>Close control frame: optional u16 status code, then an optional UTF-8 reason.</summary>
    Close = 0x8,
    /// <summary>Ping control frame; the peer answers with a pong carrying the same payload.</summary>
    Ping = 0x9,
    /// <summary>Pong control frame.</summary>
    Pong = 0xA,
}
