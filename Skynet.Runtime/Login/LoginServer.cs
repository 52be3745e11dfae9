using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Skynet.Net;

namespace Skynet.Login;

/// <summary>
/// skynet's <c>snax.loginserver</c>: a master that listens and hands each connection to one of
/// <see cref="LoginServerOptions.Instance"/> slaves, which run the handshake and call <see cref="AuthHandler"/>;
/// the master then calls <see cref="LoginHandler"/> and answers <c>200 base64(subid)</c>, <c>401 Unauthorized</c>,
/// <c>403 Forbidden</c> or <c>406 Not Acceptable</c>, and closes the connection.
/// </summary>
/// <remarks>
/// <para>Start it with the options as the first argument: <c>await node.NewService(new MyLogin(), options)</c>
/// (skynet's <c>login(conf)</c>). The master registers <c>.{Name}</c> and answers <see cref="PType.Lua"/> requests
/// whose first argument is a command name with <see cref="CommandHandler"/>.</para>
/// <para>Slaves are further instances of the same class made by <see cref="CreateSlave"/>, exactly as skynet starts the
/// same service file again: <see cref="AuthHandler"/> runs inside a slave, with that slave's own fields.
/// <see cref="LoginHandler"/> and <see cref="CommandHandler"/> run inside the master.</para>
/// <para>Any bad input (a line over <see cref="LoginServerOptions.MaxLineLength"/>, garbage base64, a key of the wrong
/// size, a wrong hmac, a token that does not decrypt, a client that stalls past
/// <see cref="LoginServerOptions.HandshakeTimeout"/>) ends only that connection, with a log line.</para>
/// </remarks>
public abstract class LoginServer : Service
{
    LoginServerOptions _options = new();
    LoginCrypto _crypto = LoginCrypto.Compatible;
    readonly List<Address> _slaves = [];
    readonly HashSet<Address> _replacing = [];
    LoginServerOptions? _slaveOptions;
    readonly HashSet<string> _loggingIn = new(StringComparer.Ordinal);
    readonly HashSet<int> _clients = [];
    readonly OldestFirst _pending = new();
    int _balance;
    bool _isSlave;

    /// <summary>The options this server runs with (the bound port is written back to <see cref="LoginServerOptions.Port"/>).</summary>
    protected LoginServerOptions Options => _options;

    /// <summary>True inside a slave, false inside the master.</summary>
    protected bool IsSlave => _isSlave;

    /// <summary>
    /// Checks a decrypted token and says who logs in where (skynet's <c>auth_handler</c>). Runs inside a slave.
    /// Throw to refuse: the client gets <c>401 Unauthorized</c>.
    /// </summary>
    /// <param name="token">The token the client sent, as UTF-8 text (see <see cref="LoginToken"/>).</param>
    /// <returns>The game server the user wants and the user's uid.</returns>
    protected abstract ValueTask<(string Server, string Uid)> AuthHandler(string token);

    /// <summary>
    /// Logs an authenticated user in to <paramref name="server"/> (skynet's <c>login_handler</c>), usually by calling
    /// that game server's msgserver with <c>"login", uid, secret</c>. Runs inside the master. Throw to refuse: the
    /// client gets <c>403 Forbidden</c>.
    /// </summary>
    /// <param name="server">The server <see cref="AuthHandler"/> returned.</param>
    /// <param name="uid">The uid <see cref="AuthHandler"/> returned.</param>
    /// <param name="secret">The secret the handshake agreed (8 bytes, or 32 with <see cref="LoginProfile.Modern"/>).</param>
    /// <returns>The subid, sent as <c>200 base64(subid)</c>; null sends an empty one.</returns>
    protected abstract ValueTask<string?> LoginHandler(string server, string uid, byte[] secret);

    /// <summary>
    /// Handles a <see cref="PType.Lua"/> request or send to the master whose first argument is a command name
    /// (skynet's <c>command_handler</c>; msgservers use it to register and to report logouts). The result is the reply.
    /// </summary>
    /// <exception cref="InvalidOperationException">By default: the command is unknown.</exception>
    protected virtual ValueTask<object?> CommandHandler(string command, object?[] args) =>
        throw new InvalidOperationException($"The login server {Self} has no command '{command}'.");

    /// <summary>
    /// Makes the instance a slave runs in. By default a new instance of this class through its parameterless
    /// constructor; override it when the class has none.
    /// </summary>
    /// <exception cref="InvalidOperationException">The class has no parameterless constructor and does not override this.</exception>
    protected virtual LoginServer CreateSlave()
    {
        try
        {
            return (LoginServer)Activator.CreateInstance(GetType())!;
        }
        catch (MissingMethodException ex)
        {
            throw new InvalidOperationException($"{GetType().Name} has no parameterless constructor: override CreateSlave to make the slave instances.", ex);
        }
    }

    /// <summary>Starts the master (arguments: the <see cref="LoginServerOptions"/>, or none for the defaults) or, when the master starts it, a slave.</summary>
    protected sealed override async ValueTask OnStart(object?[] args)
    {
        if (args is [SlaveStart slave])
        {
            _isSlave = true;
            _options = slave.Options;
            _crypto = LoginCrypto.For(_options.Profile);
            Dispatch(PType.Lua, HandleAuth);
            return;
        }
        _options = args.Length == 0 || args[0] is null ? new LoginServerOptions()
            : args[0] as LoginServerOptions ?? throw new ArgumentException($"A login server starts with LoginServerOptions; got {args[0]!.GetType().Name}.", nameof(args));
        if (_options.Instance < 1) throw new ArgumentOutOfRangeException(nameof(args), _options.Instance, "LoginServerOptions.Instance must be at least 1.");
        if (_options.MaxClient < 1) throw new ArgumentOutOfRangeException(nameof(args), _options.MaxClient, "LoginServerOptions.MaxClient must be at least 1.");
        if (_options.MaxPendingHandshakes < 0) throw new ArgumentOutOfRangeException(nameof(args), _options.MaxPendingHandshakes, "LoginServerOptions.MaxPendingHandshakes cannot be negative (0 means MaxClient / 4).");
        if (_options.MaxLineLength < 64) throw new ArgumentOutOfRangeException(nameof(args), _options.MaxLineLength, "LoginServerOptions.MaxLineLength must be at least 64.");
        ArgumentException.ThrowIfNullOrEmpty(_options.Name, "LoginServerOptions.Name");
        _crypto = LoginCrypto.For(_options.Profile);
        Register("." + _options.Name);
        Dispatch(PType.Lua, HandleCommand);
        _slaveOptions = _options.Clone();
        for (var i = 0; i < _options.Instance; i++)
            _slaves.Add(await Node.NewService(CreateSlave(), new SlaveStart(_slaveOptions)));
        var listen = Sockets.Listen(_options.Host, _options.Port, _options.Backlog);
        _options.Port = Sockets.LocalEndPoint(listen)?.Port ?? _options.Port;
        Log($"login server listen at : {_options.Host} {_options.Port}");
        Sockets.Start(listen, Admit);
    }

    /// <summary>Admission: at most MaxClient connections; past MaxPendingHandshakes the oldest silent one goes.</summary>
    void Admit(int fd, string address)
    {
        if (_clients.Count >= _options.MaxClient)
        {
            NetMetrics.Refused("login-max-client");
            this.LogAggregated("login server full", LogLevel.Warning, $"login server full: {_clients.Count} connections (MaxClient); refusing {address} (fd = {fd})");
            Sockets.CloseFd(fd);
            return;
        }
        if (_pending.Count >= _options.ResolvedMaxPendingHandshakes && _pending.TakeOldest() is { } oldest)
        {
            NetMetrics.Refused("login-pending-handshakes");
            this.LogAggregated("login pending handshakes", LogLevel.Warning,
                $"login server: {_options.ResolvedMaxPendingHandshakes} handshakes pending (MaxPendingHandshakes); closing the oldest (fd = {oldest}) for {address}");
            SocketDriver.Shutdown(oldest);
        }
        _clients.Add(fd);
        _pending.Add(fd);
        Fork(() => Accept(fd, address));
    }

    // ---- master ----------------------------------------------------------------------------------------------

    async ValueTask HandleCommand(Message message)
    {
        if (message.Payload is HandshakeDone done)
        {
            _pending.Remove(done.Fd);
            return;
        }
        var args = message.Args;
        if (args.Length == 0 || args[0] is not string command)
            throw new ArgumentException($"A login server command is an argument list that starts with the command name; got {message.Payload ?? "null"} from {message.Source}.");
        var result = await CommandHandler(command, args[1..]);
        if (message.IsRequest) Ret(result);
    }

    async ValueTask Accept(int fd, string address)
    {
        var slave = _slaves[_balance];
        _balance = (_balance + 1) % _slaves.Count;
        try
        {
            var reply = (AuthReply)(await Call(slave, PType.Lua, new AuthRequest(fd, address), SlaveCallTimeout()))!;
            await Answer(fd, reply);
        }
        catch (CallFailedException ex) when (ex.Failure is CallFailure.Timeout)
        {
            Write(fd, "401 Unauthorized\n");
            Log(LogLevel.Warning, $"invalid client (fd = {fd}) error = the handshake and AuthHandler did not finish in time ({ex.Reason})");
        }
        catch (CallFailedException ex) when (ex.Failure is CallFailure.ServiceExited or CallFailure.UnknownAddress)
        {
            Log(LogLevel.Warning, $"invalid client (fd = {fd}) error = the login slave {slave} is gone: {ex.Message}");
            await ReplaceSlave(slave);
        }
        catch (Exception ex)
        {
            Log(LogLevel.Warning, $"invalid client (fd = {fd}) error = {ex.GetType().Name}: {ex.Message}");
        }
        _clients.Remove(fd);
        _pending.Remove(fd);
        Sockets.CloseFd(fd);
    }

    /// <summary>The handshake's own limit plus AuthHandler's; null when either is disabled.</summary>
    TimeSpan? SlaveCallTimeout() =>
        _options.HandshakeTimeout > TimeSpan.Zero && _options.AuthTimeout > TimeSpan.Zero
            ? _options.HandshakeTimeout + _options.AuthTimeout
            : null;

    /// <summary>Starts a new slave in place of one that exited, so its share of the connections is not lost for good.</summary>
    async ValueTask ReplaceSlave(Address dead)
    {
        var i = _slaves.IndexOf(dead);
        if (i < 0 || !_replacing.Add(dead)) return;
        try
        {
            _slaves[i] = await Node.NewService(CreateSlave(), new SlaveStart(_slaveOptions!));
            Log(LogLevel.Warning, $"login slave {dead} replaced by {_slaves[i]}");
        }
        catch (Exception ex)
        {
            Log(LogLevel.Error, $"login slave {dead} could not be replaced: {ex.GetType().Name}: {ex.Message}", ex);
        }
        finally
        {
            _replacing.Remove(dead);
        }
    }

    /// <summary>The slaves' addresses (tests).</summary>
    internal Address[] Slaves => [.. _slaves];

    async ValueTask Answer(int fd, AuthReply reply)
    {
        switch (reply.Outcome)
        {
            case AuthOutcome.SocketError:
                return; // the slave logged it; there is no one to answer
            case AuthOutcome.ChallengeFailed:
            case AuthOutcome.Failed:
                // skynet's master answers 401 to every error its slave raises, a wrong hmac ("challenge failed") included.
                Write(fd, "401 Unauthorized\n");
                Log(LogLevel.Warning, $"invalid client (fd = {fd}) error = {reply.Error}");
                return;
        }
        var uid = reply.Uid!;
        if (!_options.MultiLogin)
        {
            if (!_loggingIn.Add(uid))
            {
                Write(fd, "406 Not Acceptable\n");
                Log(LogLevel.Warning, $"invalid client (fd = {fd}) error = User {uid} is already login");
                return;
            }
        }
        string? subid;
        try
        {
            subid = await LoginHandler(reply.Server!, uid, reply.Secret!);
        }
        catch (Exception ex)
        {
            Write(fd, "403 Forbidden\n");
            Log(LogLevel.Warning, $"invalid client (fd = {fd}) error = {ex.GetType().Name}: {ex.Message}");
            return;
        }
        finally
        {
            if (!_options.MultiLogin) _loggingIn.Remove(uid);
        }
        Write(fd, "200 " + Crypt.Base64Encode(Encoding.UTF8.GetBytes(subid ?? "")) + "\n");
    }

    void Write(int fd, string line)
    {
        if (!Sockets.Write(fd, line)) Log($"response {line[..3]} failed: socket (fd = {fd}) closed");
    }

    // ---- slave -----------------------------------------------------------------------------------------------

    async ValueTask HandleAuth(Message message)
    {
        if (message.Payload is not AuthRequest request)
            throw new ArgumentException($"A login slave only takes handshakes from its master; got {message.Payload ?? "null"} from {message.Source}.");
        Ret(await AuthFd(request.Fd, request.Address, message.Source));
    }

    async ValueTask<AuthReply> AuthFd(int fd, string address, Address master)
    {
        Log($"connect from {address} (fd = {fd})");
        if (!Sockets.Start(fd)) return SocketError(fd);
        var handshake = new Handshake();
        try
        {
            Sockets.Limit(fd, _options.MaxLineLength);
            if (_options.HandshakeTimeout > TimeSpan.Zero)
            {
                SetTimeout(_options.HandshakeTimeout, () =>
                {
                    if (handshake.Done) return;
                    handshake.TimedOut = true;
                    NetMetrics.Refused("login-handshake-timeout");
                    this.LogAggregated("login handshake timeout", LogLevel.Warning, $"auth failed: client (fd = {fd}) did not finish the handshake within {_options.HandshakeTimeout}; closing it");
                    Sockets.Close(fd);
                });
            }
            return await Auth(fd, handshake, master);
        }
        finally
        {
            handshake.Done = true;
            Sockets.Abandon(fd);
        }
    }

    async ValueTask<AuthReply> Auth(int fd, Handshake handshake, Address master)
    {
        var challenge = _crypto.NewChallenge(_options.RandomKey);
        if (!Sockets.Write(fd, Crypt.Base64Encode(challenge) + "\n")) return SocketError(fd);

        if (await ReadLine(fd) is not { } keyLine) return SocketError(fd);
        if (!TryBase64(keyLine, out var clientKey) || !_crypto.IsValidPublicKey(clientKey)) return AuthReply.Fail("Invalid client key");
        using var serverKey = _crypto.NewKeyPair(_options.RandomKey);
        if (!Sockets.Write(fd, Crypt.Base64Encode(serverKey.PublicKey) + "\n")) return SocketError(fd);
        byte[] secret;
        try
        {
            secret = serverKey.Agree(clientKey, challenge);
        }
        catch (Exception ex) when (ex is CryptException or CryptographicException)
        {
            return AuthReply.Fail($"Invalid client key: {ex.Message}");
        }

        if (await ReadLine(fd) is not { } response) return SocketError(fd);
        if (!TryBase64(response, out var proof) || !CryptographicOperations.FixedTimeEquals(proof, _crypto.Proof(challenge, secret)))
            return new AuthReply(AuthOutcome.ChallengeFailed, Error: "challenge failed");

        if (await ReadLine(fd) is not { } tokenLine) return SocketError(fd);
        // The line exchange is over: from here AuthTimeout (the master's call) bounds AuthHandler, not the handshake timer.
        handshake.Done = true;
        Send(master, PType.Lua, new HandshakeDone(fd));
        string token;
        try
        {
            token = Encoding.UTF8.GetString(_crypto.DecryptToken(secret, Crypt.Base64Decode(tokenLine)));
        }
        catch (Exception ex) when (ex is CryptException or CryptographicException)
        {
            return AuthReply.Fail($"Invalid token: {ex.Message}");
        }

        (string Server, string Uid) who;
        try
        {
            who = await AuthHandler(token);
        }
        catch (Exception ex)
        {
            return AuthReply.Fail($"{ex.GetType().Name}: {ex.Message}");
        }
        if (handshake.TimedOut) return SocketError(fd);
        if (who.Server is null || who.Uid is null) return AuthReply.Fail("AuthHandler returned a null server or uid");
        return new AuthReply(AuthOutcome.Ok, who.Server, who.Uid, secret);
    }

    async ValueTask<byte[]?> ReadLine(int fd)
    {
        if (Sockets.Invalid(fd)) return null;
        var line = await Sockets.ReadLine(fd);
        return line.IsClosed ? null : line.Data;
    }

    static bool TryBase64(byte[] text, out byte[] data)
    {
        try
        {
            data = Crypt.Base64Decode(text);
            return true;
        }
        catch (CryptException)
        {
            data = [];
            return false;
        }
    }

    AuthReply SocketError(int fd)
    {
        Log($"auth failed: socket (fd = {fd}) closed");
        return new AuthReply(AuthOutcome.SocketError);
    }

    sealed class Handshake
    {
        public bool Done;
        public bool TimedOut;
    }

    sealed record SlaveStart(LoginServerOptions Options);

    sealed record HandshakeDone(int Fd);

    sealed record AuthRequest(int Fd, string Address);

    enum AuthOutcome { Ok, SocketError, ChallengeFailed, Failed }

    sealed record AuthReply(AuthOutcome Outcome, string? Server = null, string? Uid = null, byte[]? Secret = null, string? Error = null)
    {
        public static AuthReply Fail(string error) => new(AuthOutcome.Failed, Error: error);
    }
}
