using System.Text;

namespace Skynet.Runtime.Tests.Crypto;

/// <summary>The pure-crypt values of the loginserver/msgserver transcript in <c>shared/vectors/login.txt</c>.</summary>
public class LoginTranscriptTests
{
    private static readonly byte[] Challenge = Convert.FromHexString("0102030405060708");
    private static readonly byte[] ClientPrivate = Encoding.ASCII.GetBytes("ckey0001");
    private static readonly byte[] ServerPrivate = Encoding.ASCII.GetBytes("skey0001");
    private static readonly byte[] Secret = Convert.FromHexString("3b36c703b95b068e");

    [Fact]
    public void ChallengeLine()
    {
        Assert.Equal("AQIDBAUGBwg=", Crypt.Base64Encode(Challenge));
    }

    [Fact]
    public void PublicKeys()
    {
        Assert.Equal("t6Kllrh20UU=", Crypt.Base64Encode(Crypt.DhExchange(ClientPrivate)));
        Assert.Equal("5oZ1qXvnYuc=", Crypt.Base64Encode(Crypt.DhExchange(ServerPrivate)));
    }

    [Fact]
    public void BothSidesDeriveTheSameSecret()
    {
        byte[] clientPublic = Crypt.Base64Decode("t6Kllrh20UU=");
        byte[] serverPublic = Crypt.Base64Decode("5oZ1qXvnYuc=");
        Assert.Equal(Secret, Crypt.DhSecret(serverPublic, ClientPrivate));
        Assert.Equal(Secret, Crypt.DhSecret(clientPublic, ServerPrivate));
    }

    [Fact]
    public void ChallengeResponse()
    {
        Assert.Equal("KvHYdaikudg=", Crypt.Base64Encode(Crypt.Hmac64(Challenge, Secret)));
    }

    [Fact]
    public void EncryptedToken()
    {
        byte[] token = Encoding.ASCII.GetBytes("aGVsbG8=@c2FtcGxl:cGFzc3dvcmQ=");
        byte[] encrypted = Crypt.DesEncode(Secret, token);
        Assert.Equal("R18VToRm1bi+msPhoZAA83uMiIbWNOuvN6QEHcnGz60=", Crypt.Base64Encode(encrypted));
        Assert.Equal(token, Crypt.DesDecode(Secret, Crypt.Base64Decode("R18VToRm1bi+msPhoZAA83uMiIbWNOuvN6QEHcnGz60=")));
    }

    [Fact]
    public void SubidReply()
    {
        Assert.Equal("1"u8.ToArray(), Crypt.Base64Decode("MQ=="));
    }

    [Fact]
    public void MsgserverHandshakeHmac()
    {
        byte[] text = Encoding.ASCII.GetBytes("aGVsbG8=@c2FtcGxl#MQ==:1");
        Assert.Equal("tMdbeKCnjo4=", Crypt.Base64Encode(Crypt.Hmac64(Crypt.HashKey(text), Secret)));

        // hmac_hash is the same computation in one call, with the key first.
        Assert.Equal("tMdbeKCnjo4=", Crypt.Base64Encode(Crypt.HmacHash(Secret, text)));
    }

    [Fact]
    public void AllocationFreeOverloadsGiveTheSameBytes()
    {
        Span<byte> clientPublic = stackalloc byte[8];
        Span<byte> serverPublic = stackalloc byte[8];
        Span<byte> secret = stackalloc byte[8];
        Span<byte> hmac = stackalloc byte[8];
        Span<byte> line = stackalloc byte[12];
        Assert.True(Crypt.TryDhExchange(ClientPrivate, clientPublic));
        Assert.True(Crypt.TryDhExchange(ServerPrivate, serverPublic));
        Assert.True(Crypt.TryDhSecret(serverPublic, ClientPrivate, secret));
        Assert.Equal(Secret, secret.ToArray());
        Assert.True(Crypt.TryHmac64(Challenge, secret, hmac));
        Assert.True(Crypt.TryBase64Encode(hmac, line, out int written));
        Assert.Equal("KvHYdaikudg="u8.ToArray(), line[..written].ToArray());

        Span<byte> hashed = stackalloc byte[8];
        Assert.True(Crypt.TryHashKey("aGVsbG8=@c2FtcGxl#MQ==:1"u8, hashed));
        Assert.True(Crypt.TryHmacHash(secret, "aGVsbG8=@c2FtcGxl#MQ==:1"u8, hmac));
        Assert.Equal(Crypt.Hmac64(hashed.ToArray(), Secret), hmac.ToArray());
    }
}
