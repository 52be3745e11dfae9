using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Skynet.Gate.WebSocket;

/// <summary>
/// The server side of the RFC 6455 opening handshake (section 4.2): parse and validate the client's HTTP/1.1
/// upgrade request, then answer with 101 Switching Protocols or with the error response.
/// </summary>
public static class WebSocketHandshake
{
    /// <summary>The most bytes a request line plus headers (blank line included) may take; a larger request is refused with 400.</summary>
    public const int MaxHeaderBytes = 8 * 1024;

    /// <summary>The GUID RFC 6455 appends to the client's key before hashing (section 1.3).</summary>
    public const string KeyGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private static ReadOnlySpan<byte> HeaderTerminator => "\r\n\r\n"u8;

    /// <summary>
    /// Parses the upgrade request at the front of <paramref name="buffer"/>.
    /// </summary>
    /// <param name="buffer">
    /// Bytes received so far. Once the blank line that ends the headers has arrived, it is advanced past it, so any
    /// bytes the client sent after the request stay for the frame decoder. Untouched while more bytes are needed.
    /// </param>
    /// <param name="request">The validated request, when the method returns <see langword="true"/>.</param>
    /// <param name="error">
    /// When the method returns <see langword="false"/>: <see langword="null"/> if the headers are incomplete (read
    /// more and call again), otherwise the reason to refuse; send <see cref="WebSocketHandshakeError.ResponseText"/>
    /// and close the connection.
    /// </param>
    /// <returns><see langword="true"/> when a complete, valid upgrade request was read.</returns>
    public static bool TryParseRequest(
        ref ReadOnlySequence<byte> buffer,
        [NotNullWhen(true)] out WebSocketUpgradeRequest? request,
        out WebSocketHandshakeError? error)
    {
        request = null;
        error = null;

        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> head, HeaderTerminator, advancePastDelimiter: true))
        {
            if (buffer.Length >= MaxHeaderBytes)
            {
                error = BadRequest($"The request headers exceed {MaxHeaderBytes} bytes.");
            }

            return false;
        }

        if (reader.Consumed > MaxHeaderBytes)
        {
            error = BadRequest($"The request headers exceed {MaxHeaderBytes} bytes.");
            return false;
        }

        buffer = buffer.Slice(reader.Position);

        // Header bytes are ASCII by spec; Latin-1 maps every byte to one char, so odd bytes cannot break decoding.
        // A handshake happens once per connection, so the strings it allocates are not on the hot path.
        string text = Encoding.Latin1.GetString(head);
        error = Parse(text, out request);
        return error is null;
    }

    /// <summary>Computes <c>Sec-WebSocket-Accept</c> for a client key: base64(SHA-1(key + <see cref="KeyGuid"/>)).</summary>
    /// <param name="key">The client's <c>Sec-WebSocket-Key</c>, exactly as sent.</param>
    /// <returns>The 28-character accept value.</returns>
    public static string ComputeAcceptKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        int length = Encoding.ASCII.GetByteCount(key) + KeyGuid.Length;
        byte[]? rented = null;
        Span<byte> input = length <= 256 ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length)).AsSpan(0, length);
        int written = Encoding.ASCII.GetBytes(key, input);
        Encoding.ASCII.GetBytes(KeyGuid, input[written..]);

        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(input, hash);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return Convert.ToBase64String(hash);
    }

    /// <summary>Builds the 101 Switching Protocols response that accepts <paramref name="request"/>.</summary>
    /// <param name="request">The request being accepted.</param>
    /// <param name="subProtocol">The subprotocol chosen, which must be one the client offered; <see langword="null"/> for none.</param>
    /// <returns>The complete response, ending with the blank line.</returns>
    /// <exception cref="ArgumentException"><paramref name="subProtocol"/> was not offered by the client.</exception>
    public static string BuildAcceptResponse(WebSocketUpgradeRequest request, string? subProtocol = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var builder = new StringBuilder(160);
        builder.Append("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ")
            .Append(ComputeAcceptKey(request.Key)).Append("\r\n");
        if (subProtocol is not null)
        {
            // RFC 6455 4.2.2: the server may only select a protocol the client listed; a client fails anything else.
            if (!Contains(request.SubProtocols, subProtocol))
            {
                throw new ArgumentException(
                    $"The client did not offer subprotocol '{subProtocol}'; choose one of: {string.Join(", ", request.SubProtocols)}.",
                    nameof(subProtocol));
            }

            builder.Append("Sec-WebSocket-Protocol: ").Append(subProtocol).Append("\r\n");
        }

        return builder.Append("\r\n").ToString();
    }

    /// <summary>Writes the 101 Switching Protocols response that accepts <paramref name="request"/> as ASCII bytes.</summary>
    /// <param name="writer">Where the response goes.</param>
    /// <param name="request">The request being accepted.</param>
    /// <param name="subProtocol">The subprotocol chosen, which must be one the client offered; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentException"><paramref name="subProtocol"/> was not offered by the client.</exception>
    public static void WriteAcceptResponse(IBufferWriter<byte> writer, WebSocketUpgradeRequest request, string? subProtocol = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        string response = BuildAcceptResponse(request, subProtocol);
        Encoding.ASCII.GetBytes(response, writer);
    }

    private static WebSocketHandshakeError? Parse(string text, out WebSocketUpgradeRequest? request)
    {
        request = null;
        ReadOnlySpan<char> rest = text;
        ReadOnlySpan<char> requestLine = NextLine(ref rest);

        // request-line = method SP request-target SP HTTP-version (RFC 9112 3).
        int firstSpace = requestLine.IndexOf(' ');
        int lastSpace = requestLine.LastIndexOf(' ');
        if (firstSpace <= 0 || lastSpace <= firstSpace + 1)
        {
            return BadRequest("The request line is malformed.");
        }

        ReadOnlySpan<char> method = requestLine[..firstSpace];
        ReadOnlySpan<char> target = requestLine[(firstSpace + 1)..lastSpace];
        ReadOnlySpan<char> version = requestLine[(lastSpace + 1)..];
        if (!method.SequenceEqual("GET"))
        {
            return BadRequest("A WebSocket upgrade must use the GET method.");
        }

        if (target.Contains(' ') || !IsHttp11OrLater(version))
        {
            return BadRequest("A WebSocket upgrade must be an HTTP/1.1 request.");
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (!rest.IsEmpty)
        {
            ReadOnlySpan<char> line = NextLine(ref rest);
            if (line.IsEmpty || line[0] is ' ' or '\t')
            {
                // Obsolete line folding is refused by RFC 9112 5.2; an empty line here means stray CRLFs.
                return BadRequest("A header line is malformed.");
            }

            int colon = line.IndexOf(':');
            if (colon <= 0 || line[..colon].ContainsAny(" \t\r\n"))
            {
                return BadRequest("A header line is malformed.");
            }

            string name = line[..colon].ToString();
            string value = line[(colon + 1)..].Trim(" \t").ToString();
            if (value.AsSpan().ContainsAny("\r\n\0"))
            {
                return BadRequest("A header value holds a control character.");
            }

            headers[name] = headers.TryGetValue(name, out string? earlier) ? earlier + ", " + value : value;
        }

        if (!headers.TryGetValue("Host", out string? host) || host.Length == 0)
        {
            return BadRequest("The Host header is required.");
        }

        if (!headers.TryGetValue("Upgrade", out string? upgrade) || !HasToken(upgrade, "websocket"))
        {
            return new WebSocketHandshakeError(426, "This endpoint speaks WebSocket only: send 'Upgrade: websocket'.");
        }

        if (!headers.TryGetValue("Connection", out string? connection) || !HasToken(connection, "upgrade"))
        {
            return BadRequest("The Connection header must contain 'Upgrade'.");
        }

        if (!headers.TryGetValue("Sec-WebSocket-Version", out string? wsVersion) || wsVersion != "13")
        {
            return new WebSocketHandshakeError(426, "Sec-WebSocket-Version must be 13.");
        }

        if (!headers.TryGetValue("Sec-WebSocket-Key", out string? key) || !IsValidKey(key))
        {
            return BadRequest("Sec-WebSocket-Key must be the base64 encoding of 16 bytes.");
        }

        request = new WebSocketUpgradeRequest(target.ToString(), key, headers, ReadSubProtocols(headers));
        return null;
    }

    private static ReadOnlySpan<char> NextLine(ref ReadOnlySpan<char> rest)
    {
        int end = rest.IndexOf("\r\n");
        ReadOnlySpan<char> line;
        if (end < 0)
        {
            line = rest;
            rest = ReadOnlySpan<char>.Empty;
        }
        else
        {
            line = rest[..end];
            rest = rest[(end + 2)..];
        }

        return line;
    }

    private static bool IsHttp11OrLater(ReadOnlySpan<char> version)
    {
        // RFC 6455 4.1 asks for HTTP/1.1 or higher; only 1.x can carry an Upgrade on a plain connection.
        return version.Length == 8 && version.StartsWith("HTTP/1.") && version[7] is >= '1' and <= '9';
    }

    private static bool HasToken(string list, string token)
    {
        foreach (Range range in list.AsSpan().Split(','))
        {
            if (list.AsSpan(range).Trim(" \t").Equals(token, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsValidKey(string key)
    {
        // 16 bytes encode to exactly 24 base64 characters; the length check also keeps out a repeated header.
        Span<byte> decoded = stackalloc byte[18];
        return key.Length == 24 && Convert.TryFromBase64String(key, decoded, out int written) && written == 16;
    }

    private static List<string> ReadSubProtocols(Dictionary<string, string> headers)
    {
        var protocols = new List<string>();
        if (headers.TryGetValue("Sec-WebSocket-Protocol", out string? offered))
        {
            foreach (Range range in offered.AsSpan().Split(','))
            {
                ReadOnlySpan<char> protocol = offered.AsSpan(range).Trim(" \t");
                if (!protocol.IsEmpty)
                {
                    protocols.Add(protocol.ToString());
                }
            }
        }

        return protocols;
    }

    private static bool Contains(IReadOnlyList<string> list, string value)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return true;
            }
        }

        return false;
    }

    private static WebSocketHandshakeError BadRequest(string reason) => new(400, reason);
}
