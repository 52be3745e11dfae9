using System.Buffers.Binary;
using System.Security.Cryptography;
using Skynet.Login;
using Skynet.Runtime.Tests.Net;
using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Login;

/// <summary>Public keys that would make the shared secret guessable are refused, in both login profiles and on both sides.</summary>
public sealed class DegenerateKeyTests
{
    const ulong P = 0xFFFF_FFFF_FFFF_FFC5UL;

    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    [InlineData(P - 1)]
    [InlineData(P)]
    [InlineData(P + 1)]
    public void Keys_that_are_0_1_or_P_minus_1_modulo_P_are_invalid(ulong value)
    {
        Assert.False(Crypt.IsValidDhPublicKey(Key(value)));
    }

    [Fact]
    public void Why_they_are_refused_the_secret_does_not_depend_on_the_private_key()
    {
        var a = Crypt.RandomKey();
        var b = Crypt.RandomKey();
        Assert.Equal(Crypt.DhSecret(Key(1), a), Crypt.DhSecret(Key(1), b));
        Assert.Equal(Key(1), Crypt.DhSecret(Key(1), a));
    }

    [Fact]
    public void Keys_that_DhExchange_makes_are_valid()
    {
        for (var i = 0; i < 1000; i++) Assert.True(Crypt.IsValidDhPublicKey(Crypt.DhExchange(Crypt.RandomKey())));
        Assert.True(Crypt.IsValidDhPublicKey(Key(2)));
        Assert.True(Crypt.IsValidDhPublicKey(Key(P - 2)));
        Assert.False(Crypt.IsValidDhPublicKey(new byte[7]));
    }

    [Fact]
    public async Task A_modern_client_key_off_the_curve_is_401()
    {
        await using var h = await LoginHarness.Start(LoginProfile.Modern);
        using var c = await TcpTestClient.Connect(h.LoginPort);
        Assert.NotNull(await c.ReadLine());
        var offCurve = new byte[65];
        offCurve[0] = 4;
        offCurve[64] = 1; // (0, 1) is not on P-256
        await c.SendLine(Crypt.Base64Encode(offCurve));
        Assert.EndsWith("401 Unauthorized\n", await c.Rest());
        await TestNode.Within(h.T.Logs.WaitFor("Invalid client key"));
    }

    [Fact]
    public async Task A_client_refuses_a_degenerate_server_key()
    {
        // A fake server that sends a challenge, then 1 as its public key.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            using var peer = await listener.AcceptTcpClientAsync();
            var stream = peer.GetStream();
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(Crypt.Base64Encode(Crypt.RandomKey()) + "\n"));
            var buffer = new byte[64];
            _ = await stream.ReadAsync(buffer); // the client's key
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(Crypt.Base64Encode(Key(1)) + "\n"));
            _ = await stream.ReadAsync(buffer); // the client hangs up
        });
        var error = await Assert.ThrowsAsync<IOException>(() => new LoginClient().LoginAsync("127.0.0.1", port, "token").WaitAsync(TestNode.Patience));
        Assert.Contains("degenerate", error.Message, StringComparison.Ordinal);
        await server.WaitAsync(TestNode.Patience);
    }

    [Fact]
    public void A_modern_point_on_the_curve_is_valid_and_one_off_it_is_not()
    {
        using var ecdh = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var q = ecdh.ExportParameters(false).Q;
        byte[] point = [4, .. q.X!, .. q.Y!];
        Assert.True(LoginCrypto.Modern.IsValidPublicKey(point));
        point[64] ^= 1;
        Assert.False(LoginCrypto.Modern.IsValidPublicKey(point));
    }

    static byte[] Key(ulong value)
    {
        var key = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(key, value);
        return key;
    }
}
