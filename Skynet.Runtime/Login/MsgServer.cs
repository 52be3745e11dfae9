using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Skynet.Gate;
using Skynet.Net;

namespace Skynet.Login;

/// <summary>
/// skynet's <c>snax.msgserver</c>: a gate whose clients first send a handshake frame
/// <c>base64(uid)@base64(server)#base64(subid):index:base64(hmac)</c>, answered <c>200 OK</c>,
/// <c>404 User Not Found</c>, <c>403 Index Expired</c>, <c>401 Unauthorized</c> or <c>400 Bad Request</c> (then closed),
/// and then send requests (<c>content, u32 BE session</c>) answered by responses (<c>content, u8 ok, u32 BE session</c>).
/// </summary>
/// <remarks>
/// <para>Derive from it, implement the handlers, start it and send it <c>"open", GateOptions</c> as any gate.
/// Commands from the login server: <c>"login", uid, secret</c> (reply: the subid from <see cref="LoginHandler"/>),
/// <c>"logout", uid, subid</c> and <c>"kick", uid, subid</c>.</para>
/// <para>Reconnects: a user may connect again with a higher index. A request whose session was already answered
/// (or is still being handled) on an earlier connection is not run again: the cached (or pending) response is sent
/// on the new connection. Reusing a pending session on the same connection is a protocol error that closes it.
/// Each user keeps about <see cref="MsgServerOptions.ExpiredNumber"/> to twice that many responses.</para>
/// </remarks>
public abstract class MsgServer : GateServer
{
    readonly MsgServerOptions _msgOptions;
    readonly LoginCrypto _crypto;
    readonly Dictionary<string, User> _userOnline = new(StringComparer.Ordinal);
    readonly Dictionary<int, PendingHandshake> _handshake = [];
    readonly OldestFirst _handshakeOrder = new();
    readonly Dictionary<int, User> _connection = [];

    /// <summary>Creates the msgserver with its options (default: empty server name, which <c>open</c> rejects).</summary>
    protected MsgServer(MsgServerOptions? options = null)
    {
        _msgOptions = options ?? new MsgServerOptions();
        if (_msgOptions.ExpiredNumber < 1) throw new ArgumentOutOfRangeException(nameof(options), _msgOptions.ExpiredNumber, "MsgServerOptions.ExpiredNumber must be at least 1.");
        _crypto = LoginCrypto.For(_msgOptions.Profile);
    }

    /// <summary>The msgserver options.</summary>
    protected MsgServerOptions MsgOptions => _msgOptions;

    /// <summary>This server's name (<see cref="MsgServerOptions.ServerName"/>).</summary>
    protected string ServerName => _msgOptions.ServerName;

    // ---- skynet's server.* helpers ----------------------------------------------------------------------------

    /// <summary>Builds a username, <c>base64(uid)@base64(server)#base64(subid)</c> (skynet's <c>server.username</c>).</summary>
    public static string Username(string uid, string subid, string server)
    {
        ArgumentNullException.ThrowIfNull(uid);
        ArgumentNullException.ThrowIfNull(subid);
        ArgumentNullException.ThrowIfNull(server);
        return $"{B64(uid)}@{B64(server)}#{B64(subid)}";
    }

    /// <summary>Splits a username into uid, subid and server (skynet's <c>server.userid</c>).</summary>
    /// <exception cref="FormatException">The text is not <c>base64@base64#base64</c>.</exception>
    public static (string Uid, string SubId, string Server) UserId(string username)
    {
        ArgumentNullException.ThrowIfNull(username);
        var at = username.IndexOf('@', StringComparison.Ordinal);
        var hash = at < 0 ? -1 : username.IndexOf('#', at + 1);
        if (hash < 0) throw new FormatException($"'{username}' is not a username (base64(uid)@base64(server)#base64(subid)).");
        try
        {
            return (UnB64(username.AsSpan(0, at)), UnB64(username.AsSpan(hash + 1)), UnB64(username.AsSpan(at + 1, hash - at - 1)));
        }
        catch (CryptException ex)
        {
            throw new FormatException($"'{username}' is not a username: {ex.Message}", ex);
        }
    }

    /// <summary>Lets <paramref name="username"/> connect with <paramref name="secret"/> (skynet's <c>server.login</c>); call it from <see cref="LoginHandler"/>.</summary>
    /// <exception cref="InvalidOperationException">The user is already logged in here.</exception>
    protected void Login(string username, byte[] secret)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(secret);
        if (_userOnline.ContainsKey(username)) throw new InvalidOperationException($"{username} is already logged in to {ServerName}; log it out first.");
        _userOnline[username] = new User(username, secret);
    }

    /// <summary>Forgets the user and closes its connection (skynet's <c>server.logout</c>).</summary>
    /// <returns>False when the user was not logged in.</returns>
    protected bool Logout(string username)
    {
        ArgumentNullException.ThrowIfNull(username);
        if (!_userOnline.Remove(username, out var user)) return false;
        if (user.Fd is { } fd && _connection.Remove(fd)) CloseClient(fd);
        return true;
    }

    /// <summary>The <c>ip:port</c> the user is connected from, or null when it is not connected (skynet's <c>server.ip</c>).</summary>
    protected string? Ip(string username) =>
        _userOnline.TryGetValue(username, out var user) && user.Fd is not null ? user.Ip : null;

    // ---- handlers ------------------------------------------------------------------------------------------

    /// <summary>The gate opened (skynet's <c>register_handler</c>): tell the login server where this server is.</summary>
    protected virtual ValueTask RegisterHandler(string serverName) => default;

    /// <summary>
    /// A user logs in through the login server (skynet's <c>login_handler</c>, the <c>login</c> command): allocate a
    /// subid, prepare an agent and call <see cref="Login"/> with <see cref="Username"/>(uid, subid, server).
    /// </summary>
    /// <returns>The subid, unique on this server.</returns>
    protected abstract ValueTask<string> LoginHandler(string uid, byte[] secret);

    /// <summary>A user logs out (skynet's <c>logout_handler</c>, the <c>logout</c> command, usually sent by its agent); call <see cref="Logout"/>.</summary>
    protected abstract ValueTask LogoutHandler(string uid, string subid);

    /// <summary>The login server kicks a user (skynet's <c>kick_handler</c>, the <c>kick</c> command), usually by asking its agent to log out.</summary>
    protected abstract ValueTask KickHandler(string uid, string subid);

    /// <summary>An authenticated connection closed (skynet's <c>disconnect_handler</c>); the user stays logged in and may reconnect.</summary>
    protected virtual ValueTask DisconnectHandler(string username) => default;

    /// <summary>
    /// Handles one request (skynet's <c>request_handler</c>) and returns the response's content. A throw answers the
    /// client with ok = 0 and an empty content. The handler may suspend; meanwhile other requests run.
    /// </summary>
    protected abstract ValueTask<byte[]> RequestHandler(string username, byte[] payload);

    // ---- gate events -----------------------------------------------------------------------------------------

    /// <inheritdoc/>
    protected override async ValueTask<object?> OnOpen(Address source, GateOptions options)
    {
        if (string.IsNullOrEmpty(_msgOptions.ServerName))
            throw new InvalidOperationException("MsgServerOptions.ServerName is empty: a msgserver needs its server name (skynet's servername) before open.");
        await RegisterHandler(_msgOptions.ServerName);
        return options.Port;
    }

    /// <inheritdoc/>
    protected override async ValueTask<object?> OnCommand(string command, Address source, object?[] args)
    {
        switch (command)
        {
            case "login":
                return await LoginHandler(Text(args, 0, command), args.Length > 1 && args[1] is byte[] secret ? secret : throw new ArgumentException("login takes uid and secret (byte[])."));
            case "logout":
                await LogoutHandler(Text(args, 0, command), Text(args, 1, command));
                return null;
            case "kick":
                await KickHandler(Text(args, 0, command), Text(args, 1, command));
                return null;
            default:
                return await base.OnCommand(command, source, args);
        }
    }

    /// <inheritdoc/>
    protected sealed override void OnConnect(int fd, string address)
    {
        var limit = _msgOptions.MaxPendingHandshakes > 0 ? _msgOptions.MaxPendingHandshakes : Math.Max(1, (Options?.MaxClient ?? 1024) / 4);
        if (_handshakeOrder.Count >= limit && _handshakeOrder.TakeOldest() is { } oldest)
        {
            _handshake.Remove(oldest, out var evicted);
            NetMetrics.Refused("msgserver-pending-handshakes");
            this.LogAggregated("msgserver pending handshakes", LogLevel.Warning,
                $"msgserver: {limit} connections without a handshake (MaxPendingHandshakes); closing the oldest, {evicted?.Address} (fd = {oldest}), for {address}");
            CloseClient(oldest);
        }
        var pending = new PendingHandshake(address);
        _handshake[fd] = pending;
        _handshakeOrder.Add(fd);
        OpenClient(fd);
        if (_msgOptions.HandshakeTimeout > TimeSpan.Zero)
        {
            SetTimeout(_msgOptions.HandshakeTimeout, () =>
            {
                if (!_handshake.TryGetValue(fd, out var current) || current != pending) return;
                _handshake.Remove(fd);
                _handshakeOrder.Remove(fd);
                NetMetrics.Refused("msgserver-handshake-timeout");
                this.LogAggregated("msgserver handshake timeout", LogLevel.Warning, $"msgserver: client {address} (fd = {fd}) sent no handshake within {_msgOptions.HandshakeTimeout}; closing it");
                CloseClient(fd);
            });
        }
    }

    /// <inheritdoc/>
    protected sealed override void OnMessage(int fd, byte[] payload)
    {
        if (_handshake.Remove(fd, out var pending))
        {
            _handshakeOrder.Remove(fd);
            Auth(fd, pending.Address, payload);
        }
        else Fork(() => Request(fd, payload));
    }

    /// <inheritdoc/>
    protected sealed override void OnDisconnect(int fd)
    {
        _handshake.Remove(fd);
        _handshakeOrder.Remove(fd);
        if (_connection.TryGetValue(fd, out var user)) Fork(() => Disconnect(fd, user));
    }

    /// <inheritdoc/>
    protected sealed override void OnError(int fd, string message) => OnDisconnect(fd);

    async ValueTask Disconnect(int fd, User user)
    {
        try
        {
            await DisconnectHandler(user.Username);
        }
        catch (Exception ex)
        {
            Log(LogLevel.Error, $"msgserver: disconnect handler for {user.Username} failed: {ex.GetType().Name}: {ex.Message}", ex);
        }
        if (_connection.Remove(fd))
        {
            if (user.Fd == fd) user.Fd = null; // skynet clears it even when the user has reconnected meanwhile
            CloseClient(fd);
        }
    }

    // ---- handshake -------------------------------------------------------------------------------------------

    void Auth(int fd, string address, byte[] payload)
    {
        string? result;
        try
        {
            result = DoAuth(fd, payload, address);
        }
        catch (Exception ex) when (ex is FormatException or CryptException or OverflowException)
        {
            Log(LogLevel.Warning, $"msgserver: bad handshake from {address} (fd = {fd}): {ex.Message}");
            result = "400 Bad Request";
        }
        Sockets.Write(fd, NetPack.Pack(Encoding.Latin1.GetBytes(result ?? "200 OK")));
        if (result is not null) CloseClient(fd);
    }

    /// <summary>skynet's do_auth: null on success, else the status line. Atomic: it never suspends.</summary>
    string? DoAuth(int fd, byte[] payload, string address)
    {
        // string.match(message, "([^:]*):([^:]*):([^:]*)")
        var first = Array.IndexOf(payload, (byte)':');
        var second = first < 0 ? -1 : Array.IndexOf(payload, (byte)':', first + 1);
        if (second < 0) return "404 User Not Found"; // no match: user_online[nil] is nil
        var third = Array.IndexOf(payload, (byte)':', second + 1);
        var username = Encoding.Latin1.GetString(payload, 0, first);
        if (!_userOnline.TryGetValue(username, out var user)) return "404 User Not Found";
        var indexText = Encoding.Latin1.GetString(payload, first + 1, second - first - 1);
        if (!long.TryParse(indexText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index))
            throw new FormatException($"the index '{indexText}' is not a number");
        var hmac = Crypt.Base64Decode(payload.AsSpan(second + 1, (third < 0 ? payload.Length : third) - second - 1));
        if (index <= user.Version) return "403 Index Expired";
        var expected = _crypto.HandshakeHmac(user.Secret, payload.AsSpan(0, second));
        if (!CryptographicOperations.FixedTimeEquals(expected, hmac)) return "401 Unauthorized";
        user.Version = index;
        // The connection this one supersedes must not stay authenticated beside it: Logout closes only user.Fd.
        if (user.Fd is { } previous && previous != fd && _connection.Remove(previous))
        {
            Log(LogLevel.Warning, $"msgserver: {user.Username} connected again from {address} (fd = {fd}); closing its previous connection (fd = {previous})");
            CloseClient(previous);
        }
        user.Fd = fd;
        user.Ip = address;
        _connection[fd] = user;
        return null;
    }

    // ---- requests --------------------------------------------------------------------------------------------

    async ValueTask Request(int fd, byte[] message)
    {
        try
        {
            await DoRequest(fd, message);
        }
        catch (ProtocolException ex)
        {
            Log(LogLevel.Warning, $"Invalid package {ex.Message} : {Convert.ToHexStringLower(message)}");
            if (_connection.ContainsKey(fd)) CloseClient(fd);
        }
    }

    async ValueTask DoRequest(int fd, byte[] message)
    {
        if (!_connection.TryGetValue(fd, out var user)) throw new ProtocolException("invalid fd");
        if (message.Length < 4) throw new ProtocolException($"a request of {message.Length} bytes has no session");
        var session = BinaryPrimitives.ReadUInt32BigEndian(message.AsSpan(message.Length - 4));
        // An entry carries the version of the connection that last asked for it, from the moment the request arrives,
        // so reusing a still-pending session on the same connection conflicts (skynet stamps it only on reply).
        if (user.Response.TryGetValue(session, out var p) && p.Version == user.Version)
        {
            // the session is reused on the same connection
            user.Response.Remove(session);
            if (p.Frame is null)
            {
                var error = $"Conflict session {session:x8}";
                Log(LogLevel.Warning, error);
                throw new ProtocolException(error);
            }
            p = null;
        }

        if (p is null)
        {
            p = new CachedResponse { Fd = fd, Version = user.Version };
            user.Response[session] = p;
            byte[] frame;
            try
            {
                var result = await RequestHandler(user.Username, message[..^4]) ?? [];
                if (result.Length > NetPack.MaxPayloadLength - 5)
                    throw new InvalidOperationException($"the response of {result.Length} bytes does not fit a frame (at most {NetPack.MaxPayloadLength - 5})");
                frame = new byte[2 + result.Length + 5];
                BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)(result.Length + 5));
                result.CopyTo(frame, 2);
                frame[2 + result.Length] = 1;
                BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(3 + result.Length), session);
            }
            catch (Exception ex)
            {
                Log(LogLevel.Error, $"msgserver: request session {session} of {user.Username} failed: {ex.GetType().Name}: {ex.Message}", ex);
                frame = new byte[7];
                BinaryPrimitives.WriteUInt16BigEndian(frame, 5);
                BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(3), session);
            }
            // p.Version stays the version of the connection that last asked: stamping the current one here (as
            // skynet does) would make a retry on a connection opened meanwhile look like a reuse and run it again.
            p.Frame = frame;
            p.Index = user.Index;
        }
        else
        {
            // a request from an earlier connection: resend its response (here, or when it is ready)
            p.Fd = fd;
            p.Version = user.Version;
            p.Index = user.Index;
            if (p.Frame is null) return;
        }
        user.Index++;
        if (p.Fd is { } target && _connection.ContainsKey(target)) Sockets.Write(target, p.Frame);
        p.Fd = null;
        RetireResponses(user);
    }

    void RetireResponses(User user)
    {
        var expired = _msgOptions.ExpiredNumber;
        if (user.Index < expired * 2L) return;
        long max = 0;
        List<uint>? dead = null;
        foreach (var (session, p) in user.Response)
        {
            if (p.Fd is not null) continue; // still to be sent
            if (p.Index < expired) (dead ??= []).Add(session);
            else
            {
                p.Index -= expired;
                if (p.Index > max) max = p.Index;
            }
        }
        if (dead is not null) foreach (var session in dead) user.Response.Remove(session);
        user.Index = max + 1;
    }

    /// <summary>The number of cached responses of a user (tests).</summary>
    internal int CachedResponses(string username) => _userOnline.TryGetValue(username, out var user) ? user.Response.Count : -1;

    /// <summary>The number of a user's requests whose response is not ready yet (tests).</summary>
    internal int PendingResponses(string username) =>
        _userOnline.TryGetValue(username, out var user) ? user.Response.Values.Count(p => p.Frame is null) : -1;

    static string Text(object?[] args, int index, string command) =>
        args.Length > index && args[index] is { } value
            ? Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""
            : throw new ArgumentException($"The msgserver command '{command}' takes uid and subid; argument {index} is missing.");

    static string B64(string text) => Crypt.Base64Encode(Encoding.UTF8.GetBytes(text));

    static string UnB64(ReadOnlySpan<char> text) => Encoding.UTF8.GetString(Crypt.Base64Decode(text));

    sealed class PendingHandshake(string address)
    {
        public readonly string Address = address;
    }

    sealed class User(string username, byte[] secret)
    {
        public readonly string Username = username;
        public readonly byte[] Secret = secret;
        public readonly Dictionary<uint, CachedResponse> Response = [];
        public long Version;
        public long Index;
        public int? Fd;
        public string? Ip;
    }

    /// <summary>skynet's <c>{ return_fd, response, version, index }</c>.</summary>
    sealed class CachedResponse
    {
        public int? Fd;
        public byte[]? Frame;
        public long Version;
        public long Index;
    }

    sealed class ProtocolException(string message) : Exception(message);
}
