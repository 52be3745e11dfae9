using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Skynet.Debugging;

/// <summary>
/// skynet's <c>debug_console</c> as a service: a line protocol on a TCP port (<c>nc 127.0.0.1 8000</c>) with skynet's
/// commands and output (tab-separated, addresses <c>:0000000a</c>, each reply ending <c>&lt;CMD OK&gt;</c> or
/// <c>&lt;CMD Error&gt;</c>), the same commands over HTTP GET (<c>/list</c>, <c>/info/:0000000a</c>) and a
/// self-refreshing HTML page at <c>GET /</c>. Start it with <see cref="Start"/> or the <c>Skynet:Console:Port</c>
/// setting of a hosted node.
/// </summary>
public sealed class DebugConsole : Service
{
    const int MaxHeaderLines = 64;

    readonly DebugConsoleOptions _options;
    DebugCommands? _commands;

    /// <summary>Creates the console; start it with <see cref="SkynetNode.NewService(Service, object?[])"/> or <see cref="Start"/>.</summary>
    /// <exception cref="InvalidOperationException">The options are invalid (for example a non-loopback address without a token).</exception>
    public DebugConsole(DebugConsoleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>The address and port it listens on (the real port when configured with 0); set once started.</summary>
    public IPEndPoint? EndPoint { get; private set; }

    /// <summary>Starts a console on <paramref name="node"/> and returns it once it listens.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">The address cannot be bound.</exception>
    public static async Task<DebugConsole> Start(SkynetNode node, DebugConsoleOptions options)
    {
        ArgumentNullException.ThrowIfNull(node);
        var console = new DebugConsole(options);
        await node.NewService(console).ConfigureAwait(false);
        return console;
    }

    /// <inheritdoc/>
    protected override ValueTask OnStart(object?[] args)
    {
        _commands = new DebugCommands(this, _options);
        var listener = Sockets.Listen(_options.Address, _options.Port ?? 0);
        EndPoint = Sockets.LocalEndPoint(listener);
        Sockets.Start(listener, (id, peer) => Fork(() => Serve(id, peer)));
        Log($"Start debug console at {EndPoint}");
        return default;
    }

    async ValueTask Serve(int id, string peer)
    {
        if (!Sockets.Start(id)) return;
        // Input a client sends while a command runs waits in the socket's buffer; past this cap the connection closes.
        Sockets.Limit(id, _options.MaxLineLength * 4L + 1024 * 1024);
        Log($"{peer} connected");
        var reader = new ConsoleLineReader(Sockets, id, _options.MaxLineLength);
        // HTTP clients speak first; a person with nc waits for the greeting.
        if (_options.GreetingDelay != Timeout.InfiniteTimeSpan)
            SetTimeout(_options.GreetingDelay, () => { if (!reader.SawData) Sockets.Write(id, "Welcome to skynet console\n"); return default; });
        var authenticated = string.IsNullOrEmpty(_options.Token);
        try
        {
            while (await reader.ReadLine() is { } line)
            {
                if (line.StartsWith("GET ", StringComparison.Ordinal) || line.StartsWith("POST ", StringComparison.Ordinal))
                {
                    await ServeHttp(id, line, reader);
                    break;
                }
                if (line.Trim().Length == 0) continue;
                DebugReply reply;
                if (!authenticated)
                {
                    authenticated = line.StartsWith("auth ", StringComparison.Ordinal) && TokenMatches(line[5..].Trim());
                    reply = authenticated ? DebugReply.Success("authenticated") : DebugReply.Error("authenticate first: auth <token>");
                }
                else reply = await _commands!.Run(line);
                if (!Sockets.Write(id, reply.ToText())) break;
            }
        }
        catch (InvalidDataException ex)
        {
            Sockets.Write(id, DebugReply.Error(ex.Message).ToText());
        }
        Sockets.Close(id);
        Log($"{peer} disconnect");
    }

    async ValueTask ServeHttp(int id, string requestLine, ConsoleLineReader reader)
    {
        var parts = requestLine.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        string? authorization = null;
        var contentLength = 0;
        for (var lines = 0; ; lines++)
        {
            var header = await reader.ReadLine();
            if (header is null) return;
            if (header.Length == 0) break;
            if (lines >= MaxHeaderLines) throw new InvalidDataException("too many HTTP header lines");
            var colon = header.IndexOf(':');
            if (colon <= 0) continue;
            var name = header[..colon].Trim();
            var value = header[(colon + 1)..].Trim();
            if (name.Equals("Authorization", StringComparison.OrdinalIgnoreCase)) authorization = value;
            else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && !int.TryParse(value, out contentLength)) contentLength = -1;
        }
        if (parts.Length < 2) { Respond(id, 400, "text/plain", DebugReply.Error("bad request line").ToText()); return; }
        var target = parts[1];
        var query = target.IndexOf('?');
        var path = query >= 0 ? target[..query] : target;
        var token = query >= 0 ? QueryValue(target[(query + 1)..], "token") : null;
        if (!string.IsNullOrEmpty(_options.Token) && !TokenMatches(token) && !TokenMatches(authorization?.StartsWith("Bearer ", StringComparison.Ordinal) == true ? authorization[7..] : null))
        {
            Respond(id, 401, "text/plain", DebugReply.Error("authenticate first: Authorization: Bearer <token>").ToText());
            return;
        }
        string command;
        if (parts[0] == "POST")
        {
            if (contentLength < 0 || contentLength > _options.MaxLineLength) { Respond(id, 413, "text/plain", DebugReply.Error("body too large").ToText()); return; }
            command = Encoding.UTF8.GetString(await reader.ReadExact(contentLength) ?? []);
        }
        else
        {
            if (path == "/") { Respond(id, 200, "text/html", DebugConsolePage.Render(Node)); return; }
            try { command = Uri.UnescapeDataString(path.TrimStart('/')).Replace('/', ' '); }
            catch (UriFormatException) { command = ""; }
        }
        var reply = await _commands!.Run(command);
        Respond(id, reply.Ok ? 200 : 400, "text/plain", reply.ToText());
    }

    void Respond(int id, int status, string contentType, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var reason = status switch { 200 => "OK", 401 => "Unauthorized", 413 => "Content Too Large", _ => "Bad Request" };
        Sockets.Write(id, $"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}; charset=utf-8\r\nContent-Length: {bytes.Length}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n");
        Sockets.Write(id, bytes);
    }

    static string? QueryValue(string query, string key)
    {
        foreach (var pair in query.Split('&'))
        {
            var eq = pair.IndexOf('=');
            if (eq > 0 && pair[..eq] == key)
            {
                try { return Uri.UnescapeDataString(pair[(eq + 1)..]); }
                catch (UriFormatException) { return null; }
            }
        }
        return null;
    }

    bool TokenMatches(string? presented) =>
        !string.IsNullOrEmpty(_options.Token) && presented is not null &&
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(_options.Token));
}
