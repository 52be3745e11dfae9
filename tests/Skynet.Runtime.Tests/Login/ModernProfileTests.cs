using System.Security.Cryptography;
using System.Text;
using Skynet.Login;
using Skynet.Runtime.Tests.Net;
using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Login;

/// <summary>The opt-in modern profile: same API and protocol shape, P-256 ECDH + HKDF + HMAC-SHA256 + AES-GCM.</summary>
public sealed class ModernProfileTests
{
    [Fact]
    public async Task A_full_login_and_game_session_works_with_the_modern_profile()
    {
        await using var h = await LoginHarness.Start(LoginProfile.Modern);
        var login = await h.LoginAs();
        Assert.Equal("200 MQ==", login.StatusLine);
        Assert.Equal(32, login.Secret.Length);
        await using var c = await h.Connect();
        Assert.Equal("200 OK", await TestNode.Within(c.HandshakeAsync("hello", "sample", login.SubId!, login.Secret, 1, LoginProfile.Modern)));
        var response = await TestNode.Within(c.RequestAsync("echo"u8.ToArray(), 0));
        Assert.Equal(("echo", true), (Encoding.ASCII.GetString(response.Content), response.Ok));
    }

    [Fact]
    public async Task The_modern_handshake_exchanges_a_32_byte_challenge_and_65_byte_points()
    {
        await using var h = await LoginHarness.Start(LoginProfile.Modern);
        using var c = await TcpTestClient.Connect(h.LoginPort);
        Assert.Equal(32, Crypt.Base64Decode((await c.ReadLine())!).Length);
        using var ecdh = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var q = ecdh.ExportParameters(false).Q;
        await c.SendLine(Crypt.Base64Encode([4, .. q.X!, .. q.Y!]));
        var server = Crypt.Base64Decode((await c.ReadLine())!);
        Assert.Equal(65, server.Length);
        Assert.Equal(4, server[0]);
    }

    [Fact]
    public async Task A_compatible_client_cannot_log_in_to_a_modern_server()
    {
        await using var h = await LoginHarness.Start(LoginProfile.Modern);
        var result = await TestNode.Within(h.Client(LoginProfile.Compatible).LoginAsync("127.0.0.1", h.LoginPort, "hello", "sample", "password"));
        Assert.Equal("401 Unauthorized", result.StatusLine); // an 8-byte key is not a P-256 point
        await TestNode.Within(h.T.Logs.WaitFor("Invalid client key"));
    }

    [Fact]
    public async Task A_wrong_password_and_a_wrong_proof_are_both_401()
    {
        await using var h = await LoginHarness.Start(LoginProfile.Modern);
        Assert.Equal("401 Unauthorized", (await h.LoginAs(password: "nope")).StatusLine);

        using var c = await TcpTestClient.Connect(h.LoginPort);
        Assert.NotNull(await c.ReadLine());
        using var ecdh = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var q = ecdh.ExportParameters(false).Q;
        await c.SendLine(Crypt.Base64Encode([4, .. q.X!, .. q.Y!]));
        Assert.NotNull(await c.ReadLine());
        await c.SendLine(Crypt.Base64Encode(new byte[32]));
        Assert.Equal("401 Unauthorized\n", await c.Rest());
        await TestNode.Within(h.T.Logs.WaitFor("challenge failed"));
    }

    [Fact]
    public async Task A_point_not_on_the_curve_is_refused_with_401()
    {
        await using var h = await LoginHarness.Start(LoginProfile.Modern);
        using var c = await TcpTestClient.Connect(h.LoginPort);
        Assert.NotNull(await c.ReadLine());
        var bogus = new byte[65];
        bogus[0] = 4;
        bogus[64] = 1;
        await c.SendLine(Crypt.Base64Encode(bogus));
        Assert.EndsWith("401 Unauthorized\n", await c.Rest());
        Assert.Equal(200, (await h.LoginAs()).Code);
    }

    [Fact]
    public async Task A_modern_msgserver_refuses_a_compatible_hmac()
    {
        await using var h = await LoginHarness.Start(LoginProfile.Modern);
        var login = await h.LoginAs();
        await using var c = await h.Connect();
        Assert.Equal("401 Unauthorized", await TestNode.Within(c.HandshakeAsync("hello", "sample", login.SubId!, login.Secret[..8], 1, LoginProfile.Compatible)));
    }

    [Fact]
    public void A_tampered_modern_token_does_not_decrypt()
    {
        var crypto = LoginCrypto.Modern;
        var secret = RandomNumberGenerator.GetBytes(32);
        var sealedToken = crypto.EncryptToken(secret, "token"u8.ToArray());
        Assert.Equal("token", Encoding.ASCII.GetString(crypto.DecryptToken(secret, sealedToken)));
        sealedToken[^1] ^= 1;
        Assert.ThrowsAny<CryptographicException>(() => crypto.DecryptToken(secret, sealedToken));
        Assert.ThrowsAny<CryptographicException>(() => crypto.DecryptToken(secret, new byte[10]));
    }
}
