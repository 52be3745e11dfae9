using System.Net;
using System.Net.Sockets;

namespace Skynet.ClusterTests;

/// <summary>
/// A TCP relay on 127.0.0.1 (port 0) in front of a node's cluster port, so a test can break connections without
/// stopping the node: <see cref="Cut"/> closes every relayed connection and, while refusing, closes new ones at once
/// (a peer that is unreachable); <see cref="Resume"/> lets connections through again.
/// </summary>
public sealed class TcpRelay : IDisposable
{
    readonly List<Socket> _open = [];
    TcpListener _listener;
    volatile int _target;

    public TcpRelay(int target)
    {
        _target = target;
        _listener = Listen(0);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = Accept(_listener);
    }

    static TcpListener Listen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        return listener;
    }

    public int Port { get; }

    /// <summary>The port connections are relayed to (a restarted node listens on another).</summary>
    public int Target { set => _target = value; }


    public void Cut(bool refuse)
    {
        if (refuse) _listener.Stop();
        Socket[] open;
        lock (_open)
        {
            open = [.. _open];
            _open.Clear();
        }
        foreach (var socket in open) Abort(socket);
    }

    public void Resume()
    {
        _listener = Listen(Port);
        _ = Accept(_listener);
    }

    async Task Accept(TcpListener listener)
    {
        while (true)
        {
            Socket client;
            try { client = await listener.AcceptSocketAsync(); }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or InvalidOperationException) { return; }
            var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try { await server.ConnectAsync(IPAddress.Loopback, _target); }
            catch (SocketException)
            {
                Abort(client);                                          // the node behind is gone: refuse, as it would
                server.Dispose();
                continue;
            }
            lock (_open) { _open.Add(client); _open.Add(server); }
            _ = Pump(client, server);
            _ = Pump(server, client);
        }
    }

    static async Task Pump(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0) break;
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
        Abort(from);
        Abort(to);
    }

    static void Abort(Socket socket)
    {
        try { socket.LingerState = new LingerOption(true, 0); } catch (Exception ex) when (ex is SocketException or ObjectDisposedException) { }
        socket.Dispose();
    }

    public void Dispose()
    {
        _listener.Stop();
        Cut(refuse: true);
    }
}
