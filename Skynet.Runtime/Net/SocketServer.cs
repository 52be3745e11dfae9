using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Skynet.Net;

/// <summary>
/// The node-wide socket registry, skynet's <c>socket_server</c>: owns every socket by an int id, reads on .NET's
/// socket event thread (<see cref="InlineCompletions"/>; the thread pool for TLS), writes from the writer's worker at
/// the end of its turn (the send loop for the rest), and delivers each event to the owning service as a
/// <see cref="PType.Socket"/> message. Ids are node-wide, so a service can pass one to another (which then calls <c>Start</c>).
/// </summary>
internal sealed class SocketServer
{
    static readonly ConditionalWeakTable<SkynetNode, SocketServer> s_servers = new();

    readonly SkynetNode _node;
    readonly ConcurrentDictionary<int, NetSocket> _sockets = new();
    readonly ConditionalWeakTable<Service, object> _watched = new();
    int _lastId;
    long _queued;
    long _queuedPeak;
    long _lastReclaim;
    int _enforcing;

    SocketServer(SkynetNode node)
    {
        _node = node;
        LogNode = (level, message, exception) => _node.Logger.Log(level, exception, "{Message}", message);
    }

    /// <summary>The node's limits (descriptor headroom, send budget, flush timeout).</summary>
    public NetLimits Limits { get; } = new();

    /// <summary>Aggregates the socket layer's repeated log lines, and the gates' and login servers'.</summary>
    public LogThrottle Throttle { get; } = new(LogThrottle.DefaultWindow);

    /// <summary>Writes to the node's log (the throttle's sink for lines that belong to no service).</summary>
    public Action<LogLevel, string, Exception?> LogNode { get; }

    /// <summary>The node's clock, for the sockets' timeouts (a test on virtual time moves them with the rest).</summary>
    public TimeProvider Time => _node.Options.TimeProvider;

    /// <summary>Bytes queued for sending on all of this node's sockets.</summary>
    public long Queued => Interlocked.Read(ref _queued);

    /// <summary>The registry of <paramref name="node"/>, created on first use.</summary>
    public static SocketServer For(SkynetNode node) => s_servers.GetValue(node, static n => new SocketServer(n));

    /// <summary>How long a graceful close waits for queued output before it is forced with an Error event.</summary>
    public TimeSpan FlushTimeout
    {
        get => Limits.FlushTimeout;
        set => Limits.FlushTimeout = value;
    }

    /// <summary>Live sockets (listening, connected, connecting, UDP).</summary>
    public int Count => _sockets.Count;

    internal ILogger Logger => _node.Logger;

    public bool Exists(int id) => _sockets.ContainsKey(id);

    internal NetSocket? Find(int id) => _sockets.TryGetValue(id, out var socket) ? socket : null;

    internal int Add(NetSocket socket)
    {
        while (true)
        {
            var id = Interlocked.Increment(ref _lastId) & int.MaxValue;
            if (id == 0) continue;
            socket.Id = id;
            if (_sockets.TryAdd(id, socket)) return id;
        }
    }

    internal void Remove(NetSocket socket) => _sockets.TryRemove(new KeyValuePair<int, NetSocket>(socket.Id, socket));

    /// <summary>Posts an event to the socket's owner; when the owner is gone the socket is closed.</summary>
    internal bool Deliver(NetSocket socket, SocketMessage message)
    {
        if (_node.Send(socket.Owner.Self, PType.Socket, message)) return true;
        socket.Terminate(SocketEventType.Close, null);
        return false;
    }

    /// <summary>Closes a service's sockets when it is gone, so a dead owner never leaks one.</summary>
    void Watch(Service owner)
    {
        lock (_watched)
        {
            if (!_watched.TryAdd(owner, owner)) return;
        }
        owner.Exited.ContinueWith(static (_, state) =>
        {
            var (server, service) = ((SocketServer, Service))state!;
            foreach (var socket in server._sockets.Values)
                if (socket.Owner == service) socket.Terminate(SocketEventType.Close, null);
        }, (this, owner), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public int Listen(string? host, int port, int backlog, Service owner)
    {
        var address = ParseHost(host);
        TakeDescriptor();
        Socket? handle = null;
        try
        {
            handle = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (address.Equals(IPAddress.IPv6Any)) handle.DualMode = true;
            handle.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            handle.Bind(new IPEndPoint(address, port));
            handle.Listen(backlog);
        }
        catch
        {
            handle?.Dispose();
            DescriptorBudget.Process.Release();
            throw;
        }
        var socket = new NetSocket(this, SocketKind.Listen, handle, owner, SocketState.Listening, holdsDescriptor: true);
        Watch(owner);
        return Add(socket);
    }

    public int Connect(string host, int port, Service owner)
    {
        var room = DescriptorBudget.Process.TryTakeForOpen(Limits.DescriptorHeadroom);
        var socket = new NetSocket(this, SocketKind.Tcp, null, owner, SocketState.Connecting, holdsDescriptor: room);
        Watch(owner);
        var id = Add(socket);
        if (room) _ = socket.ConnectAsync(host, port);
        else socket.Terminate(SocketEventType.Error, $"connect to {host}:{port} failed: {NoDescriptorsMessage()}");
        return id;
    }

    public int Udp(string? host, int port, Service owner)
    {
        var address = ParseHost(host);
        TakeDescriptor();
        Socket? handle = null;
        try
        {
            handle = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            handle.Bind(new IPEndPoint(address, port));
        }
        catch
        {
            handle?.Dispose();
            DescriptorBudget.Process.Release();
            throw;
        }
        var socket = new NetSocket(this, SocketKind.Udp, handle, owner, SocketState.Reading, holdsDescriptor: true);
        Watch(owner);
        var id = Add(socket);
        socket.StartUdp();
        return id;
    }

    /// <summary>Makes <paramref name="owner"/> the owner and starts reading (accepting, for a listening socket).</summary>
    public bool Start(int id, Service owner)
    {
        if (Find(id) is not { } socket) return false;
        // Start before Watch: an owner that is already gone then closes the socket at once instead of keeping it.
        var started = socket.Start(owner);
        Watch(owner);
        return started;
    }

    /// <summary>Makes <paramref name="owner"/> the owner of an accepted, unstarted socket and starts a server TLS handshake on it; reading starts when it completes.</summary>
    public bool StartTls(int id, Service owner, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, TimeSpan handshakeTimeout)
    {
        if (Find(id) is not { } socket) return false;
        var started = socket.StartTls(owner, certificate, handshakeTimeout);
        Watch(owner);
        return started;
    }

    public void Pause(int id) => Find(id)?.Pause();

    public bool Write(int id, byte[] data, bool lowPriority) => Find(id) is { } socket && socket.Write(data, lowPriority);

    public bool SendTo(int id, IPEndPoint to, byte[] data) => Find(id) is { } socket && socket.SendTo(to, data);

    public void UdpConnect(int id, string host, int port)
    {
        var socket = Find(id) ?? throw new InvalidOperationException($"Socket {id} is not open.");
        socket.UdpConnect(ResolveOne(host), port);
    }

    /// <summary>Closes after the queued writes are sent (skynet's <c>socket_server_close</c>).</summary>
    public void Close(int id) => Find(id)?.CloseGracefully();

    /// <summary>Closes at once, dropping queued writes (skynet's <c>socket_server_shutdown</c>).</summary>
    public void Shutdown(int id) => Find(id)?.Terminate(SocketEventType.Close, null);

    public void Ack(int id, int bytes) => Find(id)?.Ack(bytes);

    public void NoDelay(int id) => Find(id)?.SetNoDelay();

    public void SetWriteLimit(int id, long bytes) => Find(id)?.SetWriteLimit(bytes);

    /// <summary>Every socket of the node, by id (skynet's <c>socket.netstat</c>).</summary>
    public List<SocketInfo> Netstat()
    {
        var list = new List<SocketInfo>(_sockets.Count);
        foreach (var socket in _sockets.Values) list.Add(socket.Info());
        list.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        return list;
    }

    void TakeDescriptor()
    {
        if (!DescriptorBudget.Process.TryTakeForOpen(Limits.DescriptorHeadroom))
        {
            NetMetrics.Refused("descriptors");
            throw new SocketException((int)SocketError.TooManyOpenSockets, NoDescriptorsMessage());
        }
    }

    string NoDescriptorsMessage()
    {
        var budget = DescriptorBudget.Process;
        return $"no descriptor left for a new socket ({budget.Open} sockets open, descriptor limit {budget.Limit}, headroom {(Limits.DescriptorHeadroom > 0 ? Limits.DescriptorHeadroom : budget.DefaultHeadroom)})";
    }

    /// <summary>Counts bytes a socket queued for sending; past the node's send budget the largest backlogs are closed.</summary>
    internal void Enqueued(long bytes)
    {
        var queued = Interlocked.Add(ref _queued, bytes);
        if (queued > Volatile.Read(ref _queuedPeak)) Volatile.Write(ref _queuedPeak, queued); // racy on purpose: a rough high-water mark
        if (queued > Limits.SendBudget) EnforceSendBudget();
    }

    /// <summary>Counts bytes that were sent or dropped; after a large backlog has gone, gives its memory back.</summary>
    internal void Unqueue(long bytes)
    {
        var queued = Interlocked.Add(ref _queued, -bytes);
        var peak = Volatile.Read(ref _queuedPeak);
        if (peak >= ReclaimThreshold && queued < peak / 4) ReclaimAfterBacklog(peak);
    }

    /// <summary>A backlog at least this large is worth giving back to the OS once it has drained.</summary>
    const long ReclaimThreshold = 64L << 20;

    /// <summary>
    /// The queued buffers of slow readers are garbage once sent or dropped, but the GC keeps the pages it grew for
    /// them (a node that queued 1 GiB for clients that never read stays at 1.7 GB of RSS after they go, with no
    /// allocation left to trigger a collection). One aggressive collection, at most every 10 s, returns them.
    /// </summary>
    void ReclaimAfterBacklog(long peak)
    {
        if (Interlocked.CompareExchange(ref _queuedPeak, 0, peak) != peak) return; // someone else took this episode
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastReclaim);
        if (now - last < 10_000 || Interlocked.CompareExchange(ref _lastReclaim, now, last) != last) return;
        ThreadPool.UnsafeQueueUserWorkItem(static state =>
        {
            var (server, peak) = ((SocketServer, long))state!;
            var before = GC.GetTotalMemory(false);
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            server.Logger.LogInformation("Send queues drained from a peak of {Peak} MiB; the GC gave back {Freed} MiB",
                peak >> 20, Math.Max(0, before - GC.GetTotalMemory(false)) >> 20);
        }, (this, peak), preferLocal: false);
    }

    /// <summary>
    /// Closes the connections with the largest backlogs (the oldest first among equals) until the queued total is
    /// under 90 % of the budget. One thread does it at a time; writers that find it running carry on.
    /// </summary>
    void EnforceSendBudget()
    {
        if (Interlocked.Exchange(ref _enforcing, 1) != 0) return;
        try
        {
            var budget = Limits.SendBudget;
            var target = budget - budget / 10;
            if (Queued <= budget) return;
            var candidates = new List<(NetSocket Socket, long Pending, long Since)>();
            foreach (var socket in _sockets.Values)
            {
                if (socket.Kind != SocketKind.Tcp) continue;
                var pending = socket.Pending;
                if (pending > 0) candidates.Add((socket, pending, socket.QueuedSince));
            }
            candidates.Sort(static (a, b) => a.Pending != b.Pending ? b.Pending.CompareTo(a.Pending) : a.Since.CompareTo(b.Since));
            foreach (var (socket, pending, _) in candidates)
            {
                if (Queued <= target) break;
                NetMetrics.SlowReaderClosed();
                Throttle.Log("send budget exceeded", LogLevel.Warning,
                    $"Send budget: {Queued} bytes queued on the node's sockets, more than its budget of {budget}; closing socket {socket.Id} ({socket.RemoteEndPoint}), which has {pending} bytes queued",
                    null, LogNode);
                socket.Terminate(SocketEventType.Error, $"closed: the node's send budget ({budget} bytes) is exceeded and this connection had the largest backlog ({pending} bytes; the peer does not read)");
            }
        }
        finally
        {
            Volatile.Write(ref _enforcing, 0);
        }
    }

    public EndPoint? LocalEndPoint(int id) => Find(id)?.LocalEndPoint;

    public EndPoint? RemoteEndPoint(int id) => Find(id)?.RemoteEndPoint;

    internal static IPAddress ParseHost(string? host)
    {
        if (string.IsNullOrEmpty(host) || host == "0.0.0.0") return IPAddress.Any;
        if (host == "::") return IPAddress.IPv6Any;
        return ResolveOne(host);
    }

    static IPAddress ResolveOne(string host)
    {
        if (IPAddress.TryParse(host, out var address)) return address;
        var addresses = Dns.GetHostAddresses(host);
        foreach (var candidate in addresses)
            if (candidate.AddressFamily == AddressFamily.InterNetwork) return candidate;
        return addresses.Length > 0 ? addresses[0] : throw new ArgumentException($"The host '{host}' has no address.", nameof(host));
    }
}
