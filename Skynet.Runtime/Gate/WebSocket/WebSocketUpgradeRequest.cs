namespace Skynet.Gate.WebSocket;

/// <summary>
/// A validated WebSocket upgrade request (RFC 6455 section 4.2.1), as parsed by
/// <see cref="WebSocketHandshake.TryParseRequest"/>. It owns its strings; nothing refers back to the input buffer.
/// </summary>
public sealed class WebSocketUpgradeRequest
{
    internal WebSocketUpgradeRequest(string target, string key, IReadOnlyDictionary<string, string> headers, IReadOnlyList<string> subProtocols)
    {
        Target = target;
        Key = key;
        Headers = headers;
        SubProtocols = subProtocols;
    }

    /// <summary>The request-target from the request line, for example <c>/chat?room=1</c>.</summary>
    public string Target { get; }

    /// <summary>The <c>Host</c> header.</summary>
    public string Host => Headers["Host"];

    /// <summary>The <c>Origin</c> header that browsers send, or <see langword="null"/>; check it to refuse foreign pages (RFC 6455 10.2).</summary>
    public string? Origin => Headers.TryGetValue("Origin", out string? origin) ? origin : null;

    /// <summary>The client's <c>Sec-WebSocket-Key</c>, validated as base64 of 16 bytes.</summary>
    public string Key { get; }

    /// <summary>The subprotocols the client offered in <c>Sec-WebSocket-Protocol</c>, in its order of preference; empty when none.</summary>
    public IReadOnlyList<string> SubProtocols { get; }

    /// <summary>
    /// Every header, looked up case-insensitively. A header sent more than once appears once, its values joined with
    /// <c>", "</c> (RFC 9110 5.3).
    /// </summary>
    public IReadOnlyDictionary<string, string> Headers { get; }
}
