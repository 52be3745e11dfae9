namespace Skynet.Gate.WebSocket;

/// <summary>Which close status codes may appear in a close frame (RFC 6455 section 7.4 and the IANA registry).</summary>
internal static class WebSocketCloseCodes
{
    public static bool IsValidOnWire(int code) => code switch
    {
        // 1004 is reserved; 1005, 1006 and 1015 only report local conditions and must never be sent.
        >= 1000 and <= 1003 => true,
        >= 1007 and <= 1014 => true,

        // 3000-3999 are registered by libraries and frameworks, 4000-4999 are private use.
        >= 3000 and <= 4999 => true,
        _ => false,
    };
}
