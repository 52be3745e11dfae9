using System.Globalization;
using System.Text;

namespace Skynet.Login;

/// <summary>
/// The client side of <see cref="LoginServer"/> (and of skynet's <c>snax.loginserver</c>): exactly what skynet's
/// <c>examples/login/client.lua</c> does before it connects to the game server. For bots, tools and tests.
/// </summary>
/// <example><code>
/// var login = await new LoginClient().LoginAsync("127.0.0.1", 8001, "hello", "sample", "password");
/// if (!login.IsSuccess) throw new Exception(login.StatusLine);
/// await using var game = await MsgClient.ConnectAsync("127.0.0.1", 8888);
/// await game.HandshakeAsync("hello", "sample", login.SubId!, login.Secret, index: 1);
/// </code></example>
public sealed class LoginClient
{
    readonly LoginCrypto _crypto;

    /// <summary>Creates a client speaking <paramref name="profile"/> (the server's profile).</summary>
    public LoginClient(LoginProfile profile = LoginProfile.Compatible) => _crypto = LoginCrypto.For(profile);

    /// <summary>The limit of the whole login; past it the call throws <see cref="TimeoutException"/>.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Tests only: replaces <c>crypt.randomkey()</c> for the client's private key.</summary>
    internal Func<byte[]>? RandomKey { get; init; }

    /// <summary>Logs in with client.lua's token <c>base64(user)@base64(server):base64(password)</c>.</summary>
    public Task<LoginResult> LoginAsync(string host, int port, string user, string server, string password, CancellationToken cancellationToken = default) =>
        LoginAsync(host, port, LoginToken.Encode(user, server, password), cancellationToken);

    /// <summary>
    /// Runs the handshake and sends <paramref name="token"/>. A status other than 200 is a result, not an exception.
    /// </summary>
    /// <exception cref="IOException">The connection failed or the server closed it before a status line (it does so after a handshake timeout or when its slave is gone).</exception>
    /// <exception cref="TimeoutException">The login took longer than <see cref="Timeout"/>.</exception>
    public async Task<LoginResult> LoginAsync(string host, int port, string token, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentNullException.ThrowIfNull(token);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Timeout);
        try
        {
            await using var connection = await LineConnection.Connect(host, port, limit.Token).ConfigureAwait(false);
            var challenge = Decode(await ReadLine(connection, limit.Token).ConfigureAwait(false), "challenge");
            using var key = _crypto.NewKeyPair(RandomKey);
            await WriteLine(connection, Crypt.Base64Encode(key.PublicKey), limit.Token).ConfigureAwait(false);
            var serverLine = await ReadLine(connection, limit.Token).ConfigureAwait(false);
            if (IsStatusLine(serverLine)) return Result(serverLine, []); // the server refused our key (a profile mismatch)
            var serverKey = Decode(serverLine, "server key");
            if (!_crypto.IsValidPublicKey(serverKey))
                throw new IOException("The login server sent an invalid or degenerate public key (0, 1 or P-1 modulo P, or a point off the curve); the secret would be guessable, so the login stops here.");
            var secret = key.Agree(serverKey, challenge);
            await WriteLine(connection, Crypt.Base64Encode(_crypto.Proof(challenge, secret)), limit.Token).ConfigureAwait(false);
            await WriteLine(connection, Crypt.Base64Encode(_crypto.EncryptToken(secret, Encoding.UTF8.GetBytes(token))), limit.Token).ConfigureAwait(false);
            return Result(await ReadLine(connection, limit.Token).ConfigureAwait(false), secret);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The login to {host}:{port} did not finish within {Timeout}.");
        }
    }

    static bool IsStatusLine(byte[] line) =>
        line.Length >= 4 && char.IsAsciiDigit((char)line[0]) && char.IsAsciiDigit((char)line[1]) && char.IsAsciiDigit((char)line[2]) && line[3] == ' ';

    static LoginResult Result(byte[] line, byte[] secret)
    {
        var status = Encoding.UTF8.GetString(line);
        if (!IsStatusLine(line) || !int.TryParse(status.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var code))
            throw new IOException($"The login server sent '{status}', not a status line.");
        var subid = code == 200 ? Encoding.UTF8.GetString(Crypt.Base64Decode(status.AsSpan(4))) : null;
        return new LoginResult(code, status, subid, secret);
    }
    static async Task<byte[]> ReadLine(LineConnection connection, CancellationToken cancellationToken) =>
        await connection.ReadLine(8192, cancellationToken).ConfigureAwait(false)
        ?? throw new IOException("The login server closed the connection during the handshake.");

    static Task WriteLine(LineConnection connection, string text, CancellationToken cancellationToken) =>
        connection.Send(Encoding.ASCII.GetBytes(text + "\n"), cancellationToken);

    static byte[] Decode(byte[] line, string what)
    {
        try
        {
            return Crypt.Base64Decode(line);
        }
        catch (CryptException ex)
        {
            throw new IOException($"The login server sent a {what} that is not base64: {ex.Message}", ex);
        }
    }
}
