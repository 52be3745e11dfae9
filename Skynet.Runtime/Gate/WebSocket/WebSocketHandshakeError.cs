using System.Text;

namespace Skynet.Gate.WebSocket;

/// <summary>
/// Why an upgrade request was refused, with the HTTP response to send before closing the connection:
/// 426 when the client did not ask for WebSocket version 13, 400 for anything else malformed.
/// </summary>
public sealed class WebSocketHandshakeError
{
    internal WebSocketHandshakeError(int statusCode, string reason)
    {
        StatusCode = statusCode;
        Reason = reason;
    }

    /// <summary>The HTTP status code: 400 (Bad Request) or 426 (Upgrade Required).</summary>
    public int StatusCode { get; }

    /// <summary>What was wrong, in a sentence fit for a log line and for the response body.</summary>
    public string Reason { get; }

    /// <summary>
    /// The complete HTTP/1.1 response: status line, headers (a 426 names the version and protocol this server
    /// speaks, as RFC 6455 4.4 and RFC 9110 15.5.22 ask) and the reason as a plain-text body.
    /// </summary>
    public string ResponseText
    {
        get
        {
            var builder = new StringBuilder(160);
            builder.Append("HTTP/1.1 ").Append(StatusCode).Append(StatusCode == 426 ? " Upgrade Required" : " Bad Request").Append("\r\n");
            if (StatusCode == 426)
            {
                builder.Append("Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n");
            }

            builder.Append("Connection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ")
                .Append(Encoding.UTF8.GetByteCount(Reason)).Append("\r\n\r\n").Append(Reason);
            return builder.ToString();
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{StatusCode}: {Reason}";
}
