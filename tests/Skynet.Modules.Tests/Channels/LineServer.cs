using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Skynet.Modules.Tests.Channels;

/// <summary>
/// A line-protocol TCP server on 127.0.0.1 for the socket channel tests. Each line <c>session text</c> is answered
/// with <c>session text!</c>; <c>drop</c> closes the connection without answering; <c>hold</c> answers nothing until
/// a later line arrives, then answers both in reverse order (for session mode); <c>AUTH secret</c> is answered
/// <c>OK</c> when the secret matches, else <c>DENIED</c> and a close. <see cref="DropAll"/> closes every connection.
/// </summary>
internal sealed class LineServer : IAsyncDisposable
{
    readonly TcpListener _listener;
    readonly CancellationTokenSource _stop = new();
    readonly ConcurrentDictionary<TcpClient, bool> _clients = new();
    readonly string? _secret;
    int _accepted;
    int _authenticated;

    public LineServer(int port = 0, string? secret = null)
    {
        _secret = secret;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptLoop();
    }

    public int Port { get; }

    public int Accepted => Volatile.Read(ref _accepted);

    public int Authenticated => Volatile.Read(ref _authenticated);

    /// <summary>Completes when a connection arrives (the count after it).</summary>
    public TaskCompletionSource<int> NextAccept { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void DropAll()
    {
        // A connection whose handler already ended has disposed its TcpClient (Client is null then): nothing to drop.
        foreach (var c in _clients.Keys) c.Client?.Close(0);
    }

    async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            _clients[client] = true;
            var n = Interlocked.Increment(ref _accepted);
            var waiter = NextAccept;
            NextAccept = new(TaskCreationOptions.RunContinuationsAsynchronously);
            waiter.TrySetResult(n);
            _ = Serve(client);
        }
    }

    async Task Serve(TcpClient client)
    {
        try
        {
            using var _ = client;
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.UTF8);
            string? held = null;
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                string reply;
                if (line.StartsWith("AUTH ", StringComparison.Ordinal))
                {
                    if (line[5..] == _secret)
                    {
                        Interlocked.Increment(ref _authenticated);
                        reply = "OK\n";
                    }
                    else
                    {
                        await stream.WriteAsync(Encoding.UTF8.GetBytes("DENIED\n"));
                        return;
                    }
                }
                else if (line.EndsWith(" drop", StringComparison.Ordinal)) return;
                else if (line.EndsWith(" hold", StringComparison.Ordinal))
                {
                    held = line;
                    continue;
                }
                else if (held is not null)
                {
                    reply = $"{line}!\n{held}!\n";
                    held = null;
                }
                else reply = $"{line}!\n";
                await stream.WriteAsync(Encoding.UTF8.GetBytes(reply));
            }
        }
        catch (Exception)
        {
            // a dropped connection: nothing to do
        }
        finally
        {
            _clients.TryRemove(client, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        DropAll();
        await Task.CompletedTask;
    }
}
