namespace Skynet.Channels;

/// <summary>
/// skynet's <c>socketchannel</c>: a client connection from a service to another server (a database, a cache, another
/// game server) that connects on demand, authenticates each new connection, falls back to backup hosts and, when
/// the connection drops, fails the requests in flight and reconnects for the next request.
/// </summary>
/// <remarks>
/// <para>Create it inside a service and use it from that service's coroutines only: it reads and writes through the
/// service's <see cref="Service.Sockets"/>, so every wait is a yield point and no worker thread ever blocks.</para>
/// <para>A request when not connected makes one connection round (the host, then each backup) and fails with
/// <see cref="SocketChannelException"/> if none answers, as skynet's <c>channel:request</c> does; requests made while
/// that round runs wait for it. <see cref="Connect"/> keeps trying, pausing <see cref="SocketChannelOptions.ReconnectDelay"/>
/// (doubling up to <see cref="SocketChannelOptions.MaxReconnectDelay"/>) between rounds; requests made meanwhile fail
/// at once instead of piling up.</para>
/// </remarks>
public sealed class SocketChannel
{
    readonly Service _owner;
    readonly SocketChannelOptions _options;
    SocketChannelEndpoint _host;
    SocketChannelConnection? _connection;
    Task<SocketChannelConnection>? _round;   // a connection round in flight, shared by its waiters
    bool _retrying;                          // Connect's backoff loop is running
    bool _closed;
    Exception? _lastError;

    /// <summary>Creates the channel (<c>socketchannel.channel(desc)</c>); nothing connects until
    /// <see cref="Connect"/> or the first request.</summary>
    /// <param name="owner">The service that uses the channel.</param>
    /// <param name="options">Hosts, authentication and the response mode.</param>
    public SocketChannel(Service owner, SocketChannelOptions options)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.Host);
        _owner = owner;
        _options = options;
        _host = new SocketChannelEndpoint(options.Host, options.Port);
    }

    /// <summary>The host the channel connects to first (the one that last accepted it, after a fallback).</summary>
    public SocketChannelEndpoint Host => _host;

    /// <summary>Whether a connection is open now.</summary>
    public bool IsConnected => _connection is { IsOpen: true };

    /// <summary>Raised inside the owner service when the current connection ends without <see cref="Close"/> or
    /// <see cref="ChangeHost"/> (the peer hung up, a read or write failed); the next request reconnects.</summary>
    public event Action<SocketChannelEndpoint>? Disconnected;

    /// <summary>How many connections were made (the first one and every reconnection).</summary>
    public int Connections { get; private set; }

    /// <summary>
    /// Connects (<c>channel:connect(once)</c>). With <paramref name="once"/> one round is made (the host, then each
    /// backup); otherwise rounds repeat with a growing pause until one succeeds or the channel is closed.
    /// </summary>
    /// <param name="once">Make a single round.</param>
    /// <param name="cancellationToken">Stops the retries.</param>
    /// <exception cref="SocketChannelException">No host accepted the connection (with <paramref name="once"/>), or the
    /// channel was closed.</exception>
    public async ValueTask Connect(bool once = false, CancellationToken cancellationToken = default)
    {
        _closed = false;
        if (once)
        {
            await EnsureConnected(retrying: false);
            return;
        }
        var delay = _options.ReconnectDelay;
        _retrying = true;
        try
        {
            while (true)
            {
                try
                {
                    await EnsureConnected(retrying: false);
                    return;
                }
                catch (SocketChannelException) when (!_closed)
                {
                    _owner.Log(Microsoft.Extensions.Logging.LogLevel.Warning, $"socket: connect {_host} failed ({_lastError?.Message}); retry in {delay.TotalMilliseconds:0} ms");
                }
                cancellationToken.ThrowIfCancellationRequested();
                await _owner.Sleep(delay);
                cancellationToken.ThrowIfCancellationRequested();
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
            }
        }
        finally
        {
            _retrying = false;
        }
    }

    /// <summary>Order mode: sends <paramref name="request"/> and reads its response with <paramref name="response"/>
    /// (<c>channel:request(req, response)</c>), connecting first when needed.</summary>
    /// <typeparam name="T">The response.</typeparam>
    /// <param name="request">The bytes to write.</param>
    /// <param name="response">Reads the response from the socket, after the responses of earlier requests.</param>
    /// <exception cref="SocketChannelException">Not connected and no host answered, or the connection dropped before
    /// the response.</exception>
    public async ValueTask<T> Request<T>(byte[] request, Func<SocketChannelReader, ValueTask<T>> response) =>
        await (await EnsureConnected(retrying: _retrying)).Request(request, response);

    /// <summary>Session mode: sends <paramref name="request"/> and waits for the response carrying
    /// <paramref name="session"/> (<c>channel:request(req, session)</c>).</summary>
    /// <param name="request">The bytes to write.</param>
    /// <param name="session">The session the response will carry.</param>
    /// <exception cref="SocketChannelException">Not connected, the connection dropped, or the server reported an error.</exception>
    public async ValueTask<object?> Request(byte[] request, long session) =>
        await (await EnsureConnected(retrying: _retrying)).Request(request, session);

    /// <summary>Sends <paramref name="request"/> with no response expected (<c>channel:request(req)</c>).</summary>
    /// <param name="request">The bytes to write.</param>
    public async ValueTask Send(byte[] request) => (await EnsureConnected(retrying: _retrying)).Send(request);

    /// <summary>Closes the channel (<c>channel:close()</c>): requests in flight fail, later ones fail until
    /// <see cref="Connect"/> is called again.</summary>
    public void Close()
    {
        _closed = true;
        _connection?.Close(new SocketChannelException($"socket channel to {_host} was closed"));
        _connection = null;
    }

    /// <summary>Moves the channel to another host (<c>channel:changehost</c>); the current connection is closed and
    /// the next request connects there.</summary>
    /// <param name="host">The new host.</param>
    /// <param name="port">The new port, or null to keep the current one.</param>
    public void ChangeHost(string host, int? port = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        _host = new SocketChannelEndpoint(host, port ?? _host.Port);
        _connection?.Close(new SocketChannelException($"socket channel moved to {_host}"));
        _connection = null;
    }

    /// <summary>Replaces the backup hosts (<c>channel:changebackup</c>).</summary>
    /// <param name="backup">The new list.</param>
    public void ChangeBackup(IEnumerable<SocketChannelEndpoint> backup) => _options.Backup = [.. backup];

    void OnConnectionClosed(SocketChannelConnection connection)
    {
        if (_connection != connection) return; // closed here on purpose, or an auth attempt that failed
        _owner.Log(Microsoft.Extensions.Logging.LogLevel.Warning, $"socket: disconnect detected {connection.Endpoint}");
        _connection = null;
        Disconnected?.Invoke(connection.Endpoint);
    }

    async ValueTask<SocketChannelConnection> EnsureConnected(bool retrying)
    {
        if (_closed) throw new SocketChannelException($"socket channel to {_host} is closed");
        if (_connection is { IsOpen: true } open) return open;
        if (_connection is not null)
        {
            _owner.Log(Microsoft.Extensions.Logging.LogLevel.Warning, $"socket: disconnect detected {_host}");
            _connection.Close(new SocketChannelException($"socket channel to {_host}: disconnected"));
            _connection = null;
        }
        if (retrying && _round is null)
            throw new SocketChannelException($"socket channel to {_host} is reconnecting (last error: {_lastError?.Message})", _lastError);
        var round = _round ??= ConnectRound();
        try
        {
            return await round;
        }
        finally
        {
            if (_round == round) _round = null;
        }
    }

    async Task<SocketChannelConnection> ConnectRound()
    {
        var candidates = new List<SocketChannelEndpoint> { _host };
        foreach (var b in _options.Backup) if (!candidates.Contains(b)) candidates.Add(b);
        foreach (var endpoint in candidates)
        {
            if (_closed) break;
            int fd;
            try
            {
                fd = await _owner.Sockets.Open(endpoint.Host, endpoint.Port);
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ArgumentException)
            {
                _lastError = e;
                continue;
            }
            if (_options.NoDelay) _owner.Sockets.NoDelay(fd);
            var connection = new SocketChannelConnection(_owner, fd, endpoint, _options.Response);
            connection.Start(OnConnectionClosed);
            if (_options.Auth is { } auth)
            {
                try
                {
                    await auth(connection);
                }
                catch (Exception e)
                {
                    _owner.Log(Microsoft.Extensions.Logging.LogLevel.Warning, $"socket: auth failed on {endpoint}: {e.Message}");
                    connection.Close(e);
                    _lastError = e;
                    continue;
                }
                if (!connection.IsOpen)
                {
                    _lastError = new SocketChannelException($"socket channel to {endpoint}: disconnected during auth");
                    continue;
                }
            }
            if (_closed)
            {
                connection.Close(new SocketChannelException($"socket channel to {endpoint} was closed"));
                break;
            }
            if (!endpoint.Equals(_host)) _owner.Log($"socket: connect to backup host {endpoint}");
            _host = endpoint;
            _connection = connection;
            Connections++;
            return connection;
        }
        throw new SocketChannelException(_closed
            ? $"socket channel to {_host} is closed"
            : $"socket channel: connect failed to {string.Join(", ", candidates)} (last error: {_lastError?.Message})", _lastError);
    }
}
