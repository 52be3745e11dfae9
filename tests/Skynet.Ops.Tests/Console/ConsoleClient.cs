using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Skynet.Ops.Tests.Console;

/// <summary>A console user with a TCP connection: sends a line, reads the reply up to its <c>&lt;CMD ...&gt;</c> line.</summary>
public sealed class ConsoleClient : IAsyncDisposable
{
    readonly TcpClient _tcp = new();
    StreamReader _reader = null!;
    Stream _stream = null!;

    /// <summary>This end of the connection, as the console's netstat shows it for its peer.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_tcp.Client.LocalEndPoint!;

    public static async Task<ConsoleClient> Connect(IPEndPoint endPoint)
    {
        var client = new ConsoleClient();
        await client._tcp.ConnectAsync(endPoint).WaitAsync(TestNode.Patience);
        client._stream = client._tcp.GetStream();
        client._reader = new StreamReader(client._stream, Encoding.UTF8);
        return client;
    }

    /// <summary>Sends <paramref name="line"/> and returns the reply lines, the final <c>&lt;CMD OK&gt;</c>/<c>&lt;CMD Error&gt;</c> included.</summary>
    public async Task<List<string>> Command(string line)
    {
        await SendRaw(Encoding.UTF8.GetBytes(line + "\n"));
        return await ReadReply();
    }

    public async Task SendRaw(byte[] bytes)
    {
        await _stream.WriteAsync(bytes).AsTask().WaitAsync(TestNode.Patience);
        await _stream.FlushAsync();
    }

    public async Task<List<string>> ReadReply()
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await _reader.ReadLineAsync().WaitAsync(TestNode.Patience)
                ?? throw new IOException("The console closed the connection before ending its reply; got: " + string.Join(" | ", lines));
            if (line == "Welcome to skynet console") continue;
            lines.Add(line);
            if (line is "<CMD OK>" or "<CMD Error>") return lines;
        }
    }

    /// <summary>True once the console closed the connection (reads to the end).</summary>
    public async Task<bool> IsClosed()
    {
        while (await _reader.ReadLineAsync().WaitAsync(TestNode.Patience) is not null) { }
        return true;
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return default;
    }
}

/// <summary>One HTTP/1.1 GET over a raw socket (the console closes after each answer).</summary>
public static class ConsoleHttp
{
    public static async Task<(int Status, string Body)> Get(IPEndPoint endPoint, string path, string? authorization = null)
    {
        using var http = new HttpClient { Timeout = TestNode.Patience };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{endPoint}{path}");
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
