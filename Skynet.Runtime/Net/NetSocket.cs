using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Skynet.Net;

/// <summary>
/// One socket of the <see cref="SocketServer"/>: a read loop that posts data to the owner, a two-level write
/// queue drained by one send loop, and the bookkeeping that makes its last event (Close or Error) happen once.
/// </summary>
internal sealed class NetSocket
{
    /// <summary>Pending output above which the owner is warned (skynet's <c>WARNING_SIZE</c>).</summary>
    public const long WarningSize = 1024 * 1024;

    /// <summary>A further warning is posted each time pending output grows by this much.</summary>
    public const long WarningStep = 64 * 1024;

    /// <summary>Bytes posted to the owner but not yet handled, above which reading pauses (per socket).</summary>
    public const long ReadHighWater = 256 * 1024;

    /// <summary>The largest chunk one read takes from the kernel.</summary>
    public const int ReadChunk = 64 * 1024;

    /// <summary>The default time a graceful close waits for queued output before it is forced.</summary>
    public static readonly TimeSpan DefaultFlushTimeout = TimeSpan.FromSeconds(10);

    const int MaxBatch = 64;

    readonly SocketServer _server;
    readonly Lock _lock = new();
    Socket? _handle;
    volatile Service _owner;

    bool _closed, _connected, _reading, _readLoop, _accepting, _sending, _closeAfterFlush, _warned;
    long _inFlight, _pending, _writeLimit, _nextWarning;
    byte[]? _stash;
    TaskCompletionSource? _resume;
    Queue<byte[]>? _high, _low;
    List<ArraySegment<byte>>? _batch;
    SslStream? _tls;
    bool _tlsReady;

    public NetSocket(SocketServer server, NetSocketKind kind, Socket? handle, Service owner, bool connected)
    {
        _server = server;
        Kind = kind;
        _handle = handle;
        _owner = owner;
        _connected = connected;
    }

    public int Id { get; set; }

    public NetSocketKind Kind { get; }

    public Service Owner => _owner;

    public EndPoint? LocalEndPoint { get { try { return _handle?.LocalEndPoint; } catch (ObjectDisposedException) { return null; } } }

    public EndPoint? RemoteEndPoint { get { try { return _handle?.RemoteEndPoint; } catch (Exception ex) when (ex is ObjectDisposedException or SocketException) { return null; } } }

    public bool Start(Service owner)
    {
        byte[]? stash;
        bool startLoop;
        lock (_lock)
        {
            if (_closed) return false;
            _owner = owner;
            if (Kind == NetSocketKind.Listen)
            {
                startLoop = !_accepting;
                _accepting = true;
                stash = null;
            }
            else if (Kind == NetSocketKind.Udp || !_connected)
            {
                return true;
            }
            else if (_tls is not null && !_tlsReady)
            {
                _reading = true; // the read loop starts when the TLS handshake completes
                return true;
            }
            else
            {
                _reading = true;
                stash = _stash;
                _stash = null;
                if (stash is not null) _inFlight += stash.Length;
                startLoop = !_readLoop;
                _readLoop = true;
            }
        }
        if (Kind == NetSocketKind.Listen)
        {
            if (startLoop) _ = AcceptLoop();
            return true;
        }
        if (stash is not null) _server.Deliver(this, new SocketMessage(SocketEventType.Data, Id, data: stash));
        if (startLoop) _ = ReadLoop();
        return true;
    }

    public void Pause()
    {
        lock (_lock) _reading = false;
    }

    public void Ack(int bytes)
    {
        TaskCompletionSource? resume = null;
        lock (_lock)
        {
            _inFlight -= bytes;
            if (_inFlight < ReadHighWater && _resume is not null)
            {
                resume = _resume;
                _resume = null;
            }
        }
        resume?.TrySetResult();
    }

    public void SetNoDelay()
    {
        try { if (Kind == NetSocketKind.Tcp && _handle is { } handle) handle.NoDelay = true; }
        catch (Exception ex) when (ex is ObjectDisposedException or SocketException) { }
    }

    public void SetWriteLimit(long bytes)
    {
        lock (_lock) _writeLimit = bytes;
    }

    /// <summary>Ends the socket now and posts its last event, once: later calls do nothing.</summary>
    public void Terminate(SocketEventType type, string? error)
    {
        TaskCompletionSource? resume;
        Socket? handle;
        lock (_lock)
        {
            if (_closed) return;
            _closed = true;
            _reading = false;
            _high?.Clear();
            _low?.Clear();
            _pending = 0;
            _stash = null;
            resume = _resume;
            _resume = null;
            handle = _handle;
        }
        _server.Remove(this);
        resume?.TrySetResult();
        try { _tls?.Dispose(); }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException) { }
        if (handle is not null)
        {
            try
            {
                if (Kind == NetSocketKind.Tcp && type == SocketEventType.Close) handle.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException) { }
            handle.Dispose();
        }
        _server.Deliver(this, new SocketMessage(type, Id, text: error));
    }

    /// <summary>Stops reading and closes once queued output is sent.</summary>
    public void CloseGracefully()
    {
        lock (_lock)
        {
            if (_closed) return;
            _reading = false;
            if (_sending)
            {
                if (!_closeAfterFlush)
                {
                    _closeAfterFlush = true;
                    _ = ForceAfterFlushTimeout();
                }
                return;
            }
        }
        Terminate(SocketEventType.Close, null);
    }

    async Task ForceAfterFlushTimeout()
    {
        var timeout = _server.FlushTimeout;
        await Task.Delay(timeout).ConfigureAwait(false);
        Terminate(SocketEventType.Error, $"could not send the pending output within {timeout.TotalSeconds} s of closing");
    }

    /// <summary>
    /// Wraps a connected, not yet started TCP socket in a server-side <see cref="SslStream"/>: the handshake runs now,
    /// then reading starts (Data events carry decrypted bytes) and writes are encrypted. A failed handshake ends the
    /// socket with an Error event.
    /// </summary>
    public bool StartTls(Service owner, X509Certificate2 certificate, TimeSpan handshakeTimeout)
    {
        SslStream tls;
        lock (_lock)
        {
            if (_closed || Kind != NetSocketKind.Tcp || !_connected || _tls is not null || _readLoop || _handle is null) return false;
            _owner = owner;
            _reading = true;
            tls = _tls = new SslStream(new NetworkStream(_handle, ownsSocket: false), leaveInnerStreamOpen: false);
        }
        _ = TlsHandshake(tls, certificate, handshakeTimeout);
        return true;
    }

    async Task TlsHandshake(SslStream tls, X509Certificate2 certificate, TimeSpan timeout)
    {
        try
        {
            using var cancel = new CancellationTokenSource(timeout);
            var options = new SslServerAuthenticationOptions { ServerCertificate = certificate, ClientCertificateRequired = false };
            await tls.AuthenticateAsServerAsync(options, cancel.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Terminate(SocketEventType.Error, $"TLS handshake failed: {(ex is OperationCanceledException ? $"not completed within {timeout.TotalSeconds} s" : ex.Message)}");
            return;
        }
        bool read, send;
        lock (_lock)
        {
            if (_closed) return;
            _tlsReady = true;
            read = _reading && !_readLoop;
            if (read) _readLoop = true;
            send = !_sending && (_high is { Count: > 0 } || _low is { Count: > 0 });
            if (send) _sending = true;
        }
        if (read) _ = ReadLoop();
        if (send) _ = SendLoop();
    }

    public bool Write(byte[] data, bool lowPriority)
    {
        if (Kind == NetSocketKind.Udp) return SendConnectedUdp(data);
        if (Kind != NetSocketKind.Tcp) return false;
        SocketMessage? warning = null;
        bool start = false, overflow = false;
        long limit;
        lock (_lock)
        {
            if (_closed || _closeAfterFlush || !_connected) return false;
            if (data.Length == 0) return true;
            limit = _writeLimit;
            if (limit > 0 && _pending + data.Length > limit)
            {
                overflow = true;
            }
            else
            {
                (lowPriority ? _low ??= new() : _high ??= new()).Enqueue(data);
                _pending += data.Length;
                if (_pending > WarningSize && _pending >= _nextWarning)
                {
                    _warned = true;
                    _nextWarning = _pending + WarningStep;
                    warning = new SocketMessage(SocketEventType.Warning, Id, ud: (int)((_pending + 1023) / 1024));
                }
                if (!_sending && (_tls is null || _tlsReady)) _sending = start = true;
            }
        }
        if (overflow)
        {
            Terminate(SocketEventType.Error, $"write buffer overflow: more than {limit} bytes wait to be sent (the peer does not read)");
            return false;
        }
        if (warning is not null) _server.Deliver(this, warning);
        // Not inline: the send loop starts on the thread pool, so the writes a service makes in the rest of its turn
        // join the same batch (one syscall for many frames) and the service's worker makes no syscall at all.
        if (start) ThreadPool.UnsafeQueueUserWorkItem(static socket => _ = socket.SendLoop(), this, preferLocal: false);
        return true;
    }

    async Task SendLoop()
    {
        var handle = _handle!;
        var batch = _batch ??= new List<ArraySegment<byte>>(MaxBatch);
        try
        {
            while (true)
            {
                long bytes = 0;
                SocketMessage? drained = null;
                bool close = false;
                lock (_lock)
                {
                    batch.Clear();
                    if (_closed)
                    {
                        _sending = false;
                        return;
                    }
                    if (_high is { Count: > 0 } high)
                    {
                        while (batch.Count < MaxBatch && bytes < ReadChunk * 4 && high.TryDequeue(out var item))
                        {
                            batch.Add(item);
                            bytes += item.Length;
                        }
                    }
                    else if (_low is { Count: > 0 } low)
                    {
                        // Each low-priority buffer is one send, so it reaches the peer whole (skynet's atomic lwrite).
                        var item = low.Dequeue();
                        batch.Add(item);
                        bytes = item.Length;
                    }
                    if (batch.Count == 0)
                    {
                        _sending = false;
                        if (_warned)
                        {
                            _warned = false;
                            _nextWarning = 0;
                            drained = new SocketMessage(SocketEventType.Warning, Id);
                        }
                        close = _closeAfterFlush;
                    }
                }
                if (batch.Count == 0)
                {
                    if (drained is not null) _server.Deliver(this, drained);
                    if (close) Terminate(SocketEventType.Close, null);
                    return;
                }
                if (_tls is { } tls) await SendTls(tls, batch, bytes).ConfigureAwait(false);
                else if (batch.Count == 1) await handle.SendAsync(batch[0], SocketFlags.None).ConfigureAwait(false);
                else await handle.SendAsync(batch, SocketFlags.None).ConfigureAwait(false);
                lock (_lock) _pending -= bytes;
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
        {
            Terminate(SocketEventType.Error, Describe(ex));
        }
    }

    /// <summary>A batch goes out as one TLS record when it has several buffers (one record per small write would triple the bytes).</summary>
    static async ValueTask SendTls(SslStream tls, List<ArraySegment<byte>> batch, long bytes)
    {
        if (batch.Count == 1)
        {
            await tls.WriteAsync(batch[0]).ConfigureAwait(false);
            return;
        }
        var joined = ArrayPool<byte>.Shared.Rent((int)bytes);
        try
        {
            var at = 0;
            foreach (var item in batch)
            {
                item.AsSpan().CopyTo(joined.AsSpan(at));
                at += item.Count;
            }
            await tls.WriteAsync(joined.AsMemory(0, at)).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(joined);
        }
    }

    async Task ReadLoop()
    {
        var handle = _handle!;
        try
        {
            handle.Blocking = false;
            while (true)
            {
                Task? wait = null;
                lock (_lock)
                {
                    if (_closed || !_reading)
                    {
                        _readLoop = false;
                        return;
                    }
                    if (_inFlight >= ReadHighWater)
                    {
                        _resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                        wait = _resume.Task;
                    }
                }
                if (wait is not null)
                {
                    await wait.ConfigureAwait(false);
                    continue;
                }

                // Wait for data without holding a buffer, so an idle connection costs no memory.
                var tls = _tls;
                if (tls is not null) await tls.ReadAsync(Memory<byte>.Empty).ConfigureAwait(false);
                else await handle.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
                var buffer = ArrayPool<byte>.Shared.Rent(ReadChunk);
                int received;
                SocketError error = SocketError.Success;
                byte[]? chunk = null;
                try
                {
                    if (tls is not null) received = await tls.ReadAsync(buffer.AsMemory(0, ReadChunk)).ConfigureAwait(false);
                    else received = handle.Receive(buffer, 0, ReadChunk, SocketFlags.None, out error);
                    if (error == SocketError.Success && received > 0) chunk = buffer.AsSpan(0, received).ToArray();
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
                if (error == SocketError.WouldBlock) continue;
                if (error != SocketError.Success)
                {
                    Terminate(SocketEventType.Error, new SocketException((int)error).Message);
                    return;
                }
                if (chunk is null)
                {
                    Terminate(SocketEventType.Close, null); // the peer hung up
                    return;
                }
                lock (_lock)
                {
                    if (_closed) return;
                    if (!_reading)
                    {
                        // Paused (abandoned) while this read was under way: keep the bytes for the next Start.
                        _stash = chunk;
                        _readLoop = false;
                        return;
                    }
                    _inFlight += chunk.Length;
                }
                _server.Deliver(this, new SocketMessage(SocketEventType.Data, Id, data: chunk));
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
        {
            Terminate(SocketEventType.Error, Describe(ex));
        }
    }

    static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);

    async Task AcceptLoop()
    {
        var listener = _handle!;
        while (true)
        {
            Socket accepted;
            try
            {
                accepted = await listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                lock (_lock) if (_closed) return;
                _server.Logger.LogWarning("Socket {Id} accept failed: {Reason}", Id, ex.Message);
                // A lasting failure (no file descriptors left) would otherwise spin and flood the log.
                await Task.Delay(AcceptRetryDelay).ConfigureAwait(false);
                continue;
            }
            var client = new NetSocket(_server, NetSocketKind.Tcp, accepted, _owner, connected: true);
            var id = _server.Add(client);
            string peer;
            try { peer = accepted.RemoteEndPoint?.ToString() ?? ""; }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException) { peer = ""; }
            bool closed;
            lock (_lock) closed = _closed;
            if (closed || !_server.Deliver(this, new SocketMessage(SocketEventType.Accept, Id, ud: id, text: peer)))
            {
                client.Terminate(SocketEventType.Close, null);
                return;
            }
        }
    }

    public async Task ConnectAsync(string host, int port)
    {
        Socket handle;
        try
        {
            handle = new Socket(SocketType.Stream, ProtocolType.Tcp);
        }
        catch (SocketException ex)
        {
            // Out of descriptors, typically: the opener must hear about it rather than wait forever.
            Terminate(SocketEventType.Error, $"connect to {host}:{port} failed: {Describe(ex)}");
            return;
        }
        lock (_lock)
        {
            if (_closed)
            {
                handle.Dispose();
                return;
            }
            _handle = handle;
        }
        try
        {
            await handle.ConnectAsync(host, port).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or ArgumentException)
        {
            Terminate(SocketEventType.Error, $"connect to {host}:{port} failed: {Describe(ex)}");
            return;
        }
        lock (_lock)
        {
            if (_closed) return;
            _connected = true;
            _reading = true;
            _readLoop = true;
        }
        _server.Deliver(this, new SocketMessage(SocketEventType.Connect, Id, text: RemoteEndPoint?.ToString()));
        _ = ReadLoop();
    }

    public void StartUdp()
    {
        lock (_lock) _reading = true;
        _ = UdpLoop();
    }

    async Task UdpLoop()
    {
        var handle = _handle!;
        var buffer = new byte[65536];
        EndPoint any = handle.AddressFamily == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        while (true)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await handle.ReceiveFromAsync(buffer, SocketFlags.None, any).ConfigureAwait(false);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.MessageSize)
            {
                continue; // an ICMP error for an earlier datagram; UDP carries on
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                Terminate(SocketEventType.Error, Describe(ex));
                return;
            }
            var data = buffer.AsSpan(0, result.ReceivedBytes).ToArray();
            if (!_server.Deliver(this, new SocketMessage(SocketEventType.Udp, Id, data: data, endPoint: (IPEndPoint)result.RemoteEndPoint))) return;
        }
    }

    public bool SendTo(IPEndPoint to, byte[] data)
    {
        if (Kind != NetSocketKind.Udp || _handle is not { } handle) return false;
        try
        {
            handle.SendTo(data, to);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    public void UdpConnect(IPAddress address, int port)
    {
        if (Kind != NetSocketKind.Udp || _handle is not { } handle) throw new InvalidOperationException($"Socket {Id} is not a UDP socket.");
        handle.Connect(address, port);
    }

    bool SendConnectedUdp(byte[] data)
    {
        if (_handle is not { Connected: true } handle) return false;
        try
        {
            handle.Send(data);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    static string Describe(Exception ex) => ex switch
    {
        SocketException socket => socket.Message,
        ObjectDisposedException => "the socket was closed",
        IOException { InnerException: SocketException socket } => socket.Message,
        _ => ex.Message,
    };
}
