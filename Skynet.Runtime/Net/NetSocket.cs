using System.Buffers;
using System.Diagnostics;
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
/// <remarks>
/// Its life is one <see cref="SocketState"/> field, changed under <c>_lock</c>. Beside it only three flags say which
/// loops run (<c>_readLoop</c>, <c>_sending</c>) and whether the owner was warned about a backlog; a loop that finds
/// the state no longer wants it ends by clearing its own flag. The send role (<c>_sending</c>) is held either by the
/// send loop or, with <c>_deferred</c> set, by a turn-end flush that has not run yet (see <see cref="TurnEnd"/>).
/// </remarks>
internal sealed class NetSocket : ITurnEndFlush
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

    static readonly TimeSpan s_closeNotifyTimeout = TimeSpan.FromSeconds(1);

    const int MaxBatch = 64;

    /// <summary>
    /// Output a turn may queue before the send loop takes over from the turn-end flush: a large message (a
    /// cluster's multi-part call) then goes out while its writer still packs the rest, as before the flush existed.
    /// </summary>
    const int DeferLimit = 64 * 1024;

    readonly SocketServer _server;
    readonly Lock _lock = new();
    Socket? _handle;
    volatile Service _owner;

    SocketState _state;
    bool _readLoop, _sending, _warned, _deferred;
    bool _holdsDescriptor;
    long _inFlight, _pending, _writeLimit, _nextWarning, _queuedSince;
    long _bytesIn, _bytesOut;
    byte[]? _stash;
    TaskCompletionSource? _resume;
    Queue<byte[]>? _high, _low;
    List<ArraySegment<byte>>? _batch;
    List<ArraySegment<byte>>? _flushBatch;
    List<ArraySegment<byte>>? _carry;
    SslStream? _tls;
    bool _tlsReady;

    public NetSocket(SocketServer server, SocketKind kind, Socket? handle, Service owner, SocketState state, bool holdsDescriptor)
    {
        _server = server;
        Kind = kind;
        _handle = handle;
        _owner = owner;
        _state = state;
        _holdsDescriptor = holdsDescriptor;
        Opened = DateTimeOffset.UtcNow;
    }

    public int Id { get; set; }

    public SocketKind Kind { get; }

    public Service Owner => _owner;

    /// <summary>The OS socket (tests shrink its kernel buffer to reach the partial-send paths).</summary>
    internal Socket? Handle => _handle;

    public DateTimeOffset Opened { get; }

    public SocketState State { get { lock (_lock) return _state; } }

    /// <summary>Bytes waiting to be sent.</summary>
    public long Pending { get { lock (_lock) return _pending; } }

    /// <summary>When the send queue last went from empty to not empty (a <see cref="Stopwatch"/> timestamp).</summary>
    public long QueuedSince { get { lock (_lock) return _queuedSince; } }

    public EndPoint? LocalEndPoint { get { try { return _handle?.LocalEndPoint; } catch (Exception ex) when (ex is ObjectDisposedException or SocketException) { return null; } } }

    public EndPoint? RemoteEndPoint { get { try { return _handle?.RemoteEndPoint; } catch (Exception ex) when (ex is ObjectDisposedException or SocketException) { return null; } } }

    public SocketInfo Info()
    {
        lock (_lock)
        {
            return new SocketInfo(Id, Kind, _state, _owner.Self, _state == SocketState.Closed ? null : LocalEndPoint,
                Kind == SocketKind.Tcp && _state != SocketState.Closed ? RemoteEndPoint : null, _bytesIn, _bytesOut, _pending, Opened);
        }
    }

    bool IsConnected => _state is SocketState.Connected or SocketState.Reading or SocketState.TlsHandshake;

    public bool Start(Service owner)
    {
        byte[]? stash;
        bool startLoop;
        lock (_lock)
        {
            if (_state is SocketState.Closed or SocketState.Closing) return false;
            _owner = owner;
            if (Kind == SocketKind.Listen)
            {
                startLoop = _state == SocketState.Listening;
                _state = SocketState.Accepting;
                stash = null;
            }
            else if (Kind == SocketKind.Udp || _state is SocketState.Connecting or SocketState.TlsHandshake)
            {
                return true; // reading starts by itself when the connection or the TLS handshake completes
            }
            else
            {
                _state = SocketState.Reading;
                stash = _stash;
                _stash = null;
                if (stash is not null) _inFlight += stash.Length;
                startLoop = !_readLoop;
                _readLoop = true;
            }
        }
        if (Kind == SocketKind.Listen)
        {
            if (startLoop)
            {
                InlineCompletions.Prefer(_handle!, _server.Limits);
                _ = AcceptLoop();
            }
            return true;
        }
        if (startLoop && _tls is null) InlineCompletions.Prefer(_handle!, _server.Limits);
        if (stash is not null) _server.Deliver(this, new SocketMessage(SocketEventType.Data, Id, data: stash));
        if (startLoop) _ = ReadLoop();
        return true;
    }

    /// <summary>Stops reading (skynet's <c>socket.pause</c>); bytes the kernel already holds wait for the next Start.</summary>
    public void Pause()
    {
        lock (_lock)
        {
            if (_state == SocketState.Reading) _state = SocketState.Connected;
        }
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
        try { if (Kind == SocketKind.Tcp && _handle is { } handle) handle.NoDelay = true; }
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
        long dropped;
        bool release;
        lock (_lock)
        {
            if (_state == SocketState.Closed) return;
            _state = SocketState.Closed;
            _high?.Clear();
            _low?.Clear();
            _carry?.Clear();
            dropped = _pending;
            _pending = 0;
            _stash = null;
            resume = _resume;
            _resume = null;
            handle = _handle;
            release = _holdsDescriptor;
            _holdsDescriptor = false;
        }
        _server.Remove(this);
        if (dropped != 0) _server.Unqueue(dropped);
        resume?.TrySetResult();
        try { _tls?.Dispose(); }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException) { }
        if (handle is not null)
        {
            try
            {
                if (Kind == SocketKind.Tcp && type == SocketEventType.Close) handle.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException) { }
            handle.Dispose();
        }
        if (release) DescriptorBudget.Process.Release();
        _server.Deliver(this, new SocketMessage(type, Id, text: error));
    }

    /// <summary>Stops reading and closes once queued output is sent; a TLS connection says close_notify first.</summary>
    public void CloseGracefully()
    {
        lock (_lock)
        {
            switch (_state)
            {
                case SocketState.Closed:
                case SocketState.Closing:
                    return;
                case SocketState.Connected or SocketState.Reading when _sending:
                    _state = SocketState.Closing;
                    _ = ForceAfterFlushTimeout();
                    return;
                case SocketState.Connected or SocketState.Reading when _tls is not null && _tlsReady:
                    _state = SocketState.Closing;
                    _sending = true; // the close_notify is the last thing sent
                    break;
                default:
                    _state = SocketState.Closing;
                    break;
            }
        }
        _ = FinishClose();
    }

    /// <summary>The output is flushed: send TLS close_notify (bounded by a short timeout) and close.</summary>
    async Task FinishClose()
    {
        if (_tls is { } tls && _tlsReady)
        {
            try
            {
                await tls.ShutdownAsync().WaitAsync(s_closeNotifyTimeout).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException or TimeoutException or InvalidOperationException or NotSupportedException) { }
        }
        Terminate(SocketEventType.Close, null);
    }

    async Task ForceAfterFlushTimeout()
    {
        var timeout = _server.Limits.FlushTimeout;
        await Task.Delay(timeout, _server.Time).ConfigureAwait(false);
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
            if (_state != SocketState.Connected || Kind != SocketKind.Tcp || _tls is not null || _readLoop || _handle is null) return false;
            _owner = owner;
            _state = SocketState.TlsHandshake;
            tls = _tls = new SslStream(new NetworkStream(_handle, ownsSocket: false), leaveInnerStreamOpen: false);
        }
        _ = TlsHandshake(tls, certificate, handshakeTimeout);
        return true;
    }

    async Task TlsHandshake(SslStream tls, X509Certificate2 certificate, TimeSpan timeout)
    {
        try
        {
            using var cancel = new CancellationTokenSource(timeout, _server.Time);
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
            if (_state == SocketState.Closed) return;
            _tlsReady = true;
            if (_state == SocketState.TlsHandshake) _state = SocketState.Reading;
            read = _state == SocketState.Reading && !_readLoop;
            if (read) _readLoop = true;
            send = !_sending && (_high is { Count: > 0 } || _low is { Count: > 0 });
            if (send) _sending = true;
        }
        if (read) _ = ReadLoop();
        if (send) _ = SendLoop();
    }

    public bool Write(byte[] data, bool lowPriority)
    {
        if (Kind == SocketKind.Udp) return SendConnectedUdp(data);
        if (Kind != SocketKind.Tcp) return false;
        SocketMessage? warning = null;
        bool start = false, overflow = false, defer = false;
        long limit;
        lock (_lock)
        {
            if (!IsConnected) return false;
            if (data.Length == 0) return true;
            limit = _writeLimit;
            if (limit > 0 && _pending + data.Length > limit)
            {
                overflow = true;
            }
            else
            {
                (lowPriority ? _low ??= new() : _high ??= new()).Enqueue(data);
                if (_pending == 0) _queuedSince = Stopwatch.GetTimestamp();
                _pending += data.Length;
                if (_pending > WarningSize && _pending >= _nextWarning)
                {
                    _warned = true;
                    _nextWarning = _pending + WarningStep;
                    warning = new SocketMessage(SocketEventType.Warning, Id, ud: (int)((_pending + 1023) / 1024));
                }
                if (!_sending && (_tls is null || _tlsReady))
                {
                    _sending = start = true;
                    // Written from a worker's turn: the batch goes out on that worker when the turn ends.
                    _deferred = defer = _tls is null && _pending < DeferLimit && TurnEnd.InTurn;
                }
                else if (_deferred && _pending >= DeferLimit)
                {
                    _deferred = false; // the turn queued a lot: the send loop takes the send role from the flush now
                    start = true;
                }
            }
        }
        if (overflow)
        {
            NetMetrics.Refused("write-limit");
            _server.Throttle.Log("socket write limit", LogLevel.Warning,
                $"Socket {Id} ({RemoteEndPoint}) closed: more than its write limit of {limit} bytes waits to be sent (the peer does not read)", null, _server.LogNode);
            Terminate(SocketEventType.Error, $"write buffer overflow: more than {limit} bytes wait to be sent (the peer does not read)");
            return false;
        }
        _server.Enqueued(data.Length);
        if (warning is not null) _server.Deliver(this, warning);
        // Not inline: the writes a service makes in the rest of its turn join the same batch (one syscall for many
        // frames). Written from a worker's turn, the batch goes out on that worker when the turn ends (no thread
        // hand-off, as skynet's direct write); from elsewhere the send loop starts on the thread pool.
        if (defer) TurnEnd.Defer(this);
        else if (start) StartSendLoop();
        return true;
    }

    void StartSendLoop() => ThreadPool.UnsafeQueueUserWorkItem(static socket => _ = socket.SendLoop(), this, preferLocal: false);

    /// <summary>
    /// The end of the turn that first wrote since the socket went idle: this thread holds the send role
    /// (<c>_sending</c>) and sends what is queued with non-blocking sends until the queue is empty or the kernel
    /// takes less than offered. What it did not take (<c>_carry</c>, sent before anything else) and anything that
    /// needs waiting (closing, a drained warning) is left to the send loop, which then owns the send role.
    /// </summary>
    void ITurnEndFlush.FlushAtTurnEnd()
    {
        lock (_lock)
        {
            if (!_deferred) return; // a later write in the turn handed the send role to the send loop
            _deferred = false;
        }
        var batch = _flushBatch ??= new List<ArraySegment<byte>>(MaxBatch);
        try
        {
            var handle = _handle!;
            // A socket that has not started reading is still blocking (a TLS handshake may yet need it so): a send
            // here could block the worker, so the send loop takes it.
            while (!handle.Blocking)
            {
                long bytes = 0;
                lock (_lock)
                {
                    batch.Clear();
                    if (_state == SocketState.Closed)
                    {
                        _sending = false;
                        return;
                    }
                    if (!TakeQueued(batch, ref bytes) && _state != SocketState.Closing && !_warned)
                    {
                        _sending = false; // all sent: the next write starts over
                        return;
                    }
                }
                if (batch.Count == 0) break; // closing or a drained warning: the send loop's end handles both
                var sent = handle.Send(batch, SocketFlags.None, out var error);
                if (error is not (SocketError.Success or SocketError.WouldBlock))
                {
                    Terminate(SocketEventType.Error, new SocketException((int)error).Message);
                    return;
                }
                Sent(sent);
                if (sent < bytes)
                {
                    lock (_lock) if (_state != SocketState.Closed) Carry(batch, sent);
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            Terminate(SocketEventType.Error, Describe(ex));
            return;
        }
        finally
        {
            batch.Clear(); // the buffers are the writers'; an idle socket holds none
        }
        StartSendLoop();
    }

    /// <summary>
    /// Fills <paramref name="batch"/> from the queues (under <c>_lock</c>): high-priority buffers up to a batch's limits,
    /// else one low-priority buffer alone, so it reaches the peer whole (skynet's atomic <c>lwrite</c>). False when
    /// both queues are empty.
    /// </summary>
    bool TakeQueued(List<ArraySegment<byte>> batch, ref long bytes)
    {
        if (_high is { Count: > 0 } high)
        {
            while (batch.Count < MaxBatch && bytes < ReadChunk * 4 && high.TryDequeue(out var item))
            {
                batch.Add(item);
                bytes += item.Length;
            }
            return true;
        }
        if (_low is not { Count: > 0 } low) return false;
        var single = low.Dequeue();
        batch.Add(single);
        bytes = single.Length;
        return true;
    }

    /// <summary>Keeps what follows the first <paramref name="sent"/> bytes of <paramref name="batch"/> to go out first (under <c>_lock</c>).</summary>
    void Carry(List<ArraySegment<byte>> batch, int sent)
    {
        var carry = _carry ??= new List<ArraySegment<byte>>(MaxBatch);
        foreach (var item in batch)
        {
            if (sent >= item.Count)
            {
                sent -= item.Count;
                continue;
            }
            carry.Add(item.Slice(sent));
            sent = 0;
        }
    }

    /// <summary>Counts bytes the kernel took: out of the pending count and the node's budget, into the totals.</summary>
    void Sent(long bytes)
    {
        if (bytes == 0) return;
        Diagnostics.SkynetMetrics.RecordBytesOut(bytes);
        bool counted;
        lock (_lock)
        {
            counted = _state != SocketState.Closed; // Terminate already gave back what was pending
            if (counted) _pending -= bytes;
            _bytesOut += bytes;
        }
        if (counted) _server.Unqueue(bytes);
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
                    if (_state == SocketState.Closed)
                    {
                        _sending = false;
                        return;
                    }
                    if (_carry is { Count: > 0 } carry)
                    {
                        // The rest of a batch a turn-end flush started: it goes before anything queued after it.
                        foreach (var item in carry)
                        {
                            batch.Add(item);
                            bytes += item.Count;
                        }
                        carry.Clear();
                    }
                    else TakeQueued(batch, ref bytes);
                    if (batch.Count == 0)
                    {
                        close = _state == SocketState.Closing;
                        _sending = close && _tls is not null; // the close_notify still goes out on this loop's behalf
                        if (_warned)
                        {
                            _warned = false;
                            _nextWarning = 0;
                            drained = new SocketMessage(SocketEventType.Warning, Id);
                        }
                    }
                }
                if (batch.Count == 0)
                {
                    if (drained is not null) _server.Deliver(this, drained);
                    if (close) await FinishClose().ConfigureAwait(false);
                    return;
                }
                if (_tls is { } tls) await SendTls(tls, batch, bytes).ConfigureAwait(false);
                else if (batch.Count == 1) await handle.SendAsync(batch[0], SocketFlags.None).ConfigureAwait(false);
                else await handle.SendAsync(batch, SocketFlags.None).ConfigureAwait(false);
                Sent(bytes);
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
                    if (_state != SocketState.Reading)
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
                Diagnostics.SkynetMetrics.RecordBytesIn(chunk.Length);
                lock (_lock)
                {
                    if (_state == SocketState.Closed) return;
                    _bytesIn += chunk.Length;
                    if (_state != SocketState.Reading)
                    {
                        // Paused (abandoned) or closing while this read was under way: keep the bytes for the next Start.
                        if (_state == SocketState.Connected) _stash = chunk;
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

    static readonly TimeSpan s_acceptRetryDelay = TimeSpan.FromMilliseconds(100);

    async Task AcceptLoop()
    {
        var listener = _handle!;
        var budget = DescriptorBudget.Process;
        var paused = false;
        while (true)
        {
            // Take the accepted socket's descriptor first: a listener never accepts into the headroom.
            if (!budget.TryTakeForAccept(_server.Limits.DescriptorHeadroom, _server.Logger))
            {
                var room = budget.WaitForRoom();
                if (!budget.TryTakeForAccept(_server.Limits.DescriptorHeadroom, _server.Logger))
                {
                    paused = true;
                    await room.ConfigureAwait(false);
                    lock (_lock) if (_state == SocketState.Closed) return;
                    continue;
                }
            }
            if (paused && budget.Exhausted) budget.Resumed(_server.Limits.DescriptorHeadroom, _server.Logger);
            else paused = false;
            Socket accepted;
            try
            {
                accepted = await listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                budget.Release();
                lock (_lock) if (_state == SocketState.Closed) return;
                _server.Throttle.Log("socket accept failed", LogLevel.Warning, $"Socket {Id} accept failed: {ex.Message}", null, _server.LogNode);
                // A lasting failure (descriptors used by something else) would otherwise spin and flood the log.
                await Task.Delay(s_acceptRetryDelay).ConfigureAwait(false);
                continue;
            }
            var client = new NetSocket(_server, SocketKind.Tcp, accepted, _owner, SocketState.Connected, holdsDescriptor: true);
            var id = _server.Add(client);
            string peer;
            try { peer = accepted.RemoteEndPoint?.ToString() ?? ""; }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException) { peer = ""; }
            bool closed;
            lock (_lock) closed = _state == SocketState.Closed;
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
            InlineCompletions.Prefer(handle, _server.Limits);
        }
        catch (SocketException ex)
        {
            // Out of descriptors, typically: the opener must hear about it rather than wait forever.
            Terminate(SocketEventType.Error, $"connect to {host}:{port} failed: {Describe(ex)}");
            return;
        }
        lock (_lock)
        {
            if (_state == SocketState.Closed)
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
            if (_state != SocketState.Connecting) return;
            _state = SocketState.Reading;
            _readLoop = true;
        }
        _server.Deliver(this, new SocketMessage(SocketEventType.Connect, Id, text: RemoteEndPoint?.ToString()));
        _ = ReadLoop();
    }

    public void StartUdp()
    {
        InlineCompletions.Prefer(_handle!, _server.Limits);
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
            lock (_lock) _bytesIn += data.Length;
            Diagnostics.SkynetMetrics.RecordBytesIn(data.Length);
            if (!_server.Deliver(this, new SocketMessage(SocketEventType.Udp, Id, data: data, endPoint: (IPEndPoint)result.RemoteEndPoint))) return;
        }
    }

    public bool SendTo(IPEndPoint to, byte[] data)
    {
        if (Kind != SocketKind.Udp || _handle is not { } handle) return false;
        try
        {
            handle.SendTo(data, to);
            lock (_lock) _bytesOut += data.Length;
            Diagnostics.SkynetMetrics.RecordBytesOut(data.Length);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    public void UdpConnect(IPAddress address, int port)
    {
        if (Kind != SocketKind.Udp || _handle is not { } handle) throw new InvalidOperationException($"Socket {Id} is not a UDP socket.");
        handle.Connect(address, port);
    }

    bool SendConnectedUdp(byte[] data)
    {
        if (_handle is not { Connected: true } handle) return false;
        try
        {
            handle.Send(data);
            lock (_lock) _bytesOut += data.Length;
            Diagnostics.SkynetMetrics.RecordBytesOut(data.Length);
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
