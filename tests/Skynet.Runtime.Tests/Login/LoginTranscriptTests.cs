using System.Text;
using Skynet.Login;
using Skynet.Runtime.Tests.Net;
using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Login;

/// <summary>The byte-exact transcript of ../shared/vectors/login.txt, replayed against our servers with its fixed keys.</summary>
public sealed class LoginTranscriptTests
{
    static readonly byte[] Challenge = [1, 2, 3, 4, 5, 6, 7, 8];

    static Func<byte[]> Keys(params byte[][] keys)
    {
        var queue = new Queue<byte[]>(keys);
        return () => { lock (queue) return queue.Dequeue(); };
    }

    [Fact]
    public async Task The_login_transcript_is_reproduced_byte_for_byte()
    {
        await using var h = await LoginHarness.Start(configureLogin: o => { o.Instance = 1; o.RandomKey = Keys(Challenge, "skey0001"u8.ToArray()); });
        using var c = await TcpTestClient.Connect(h.LoginPort);
        Assert.Equal("AQIDBAUGBwg=", await c.ReadLine());
        await c.SendLine("t6Kllrh20UU=");
        Assert.Equal("5oZ1qXvnYuc=", await c.ReadLine());
        await c.SendLine("KvHYdaikudg=");
        await c.SendLine("R18VToRm1bi+msPhoZAA83uMiIbWNOuvN6QEHcnGz60=");
        Assert.Equal("200 MQ==", await c.ReadLine());
        Assert.Equal("", await c.Rest()); // then the server closes

        // msgserver, same secret (3b36c703b95b068e), user hello, server sample, subid "1"
        using var g = await TcpTestClient.Connect(h.GatePort);
        await g.Send(Convert.FromHexString("0025614756736247383d40633246746347786c234d513d3d3a313a744d6462654b436e6a6f343d"));
        Assert.Equal("0006323030204f4b", Convert.ToHexStringLower(await g.ReadExactly(8))); // 0006 "200 OK"
        await g.Send(Convert.FromHexString("00086563686f00000000"));                              // "echo", session 0
        Assert.Equal("00096563686f0100000000", Convert.ToHexStringLower(await g.ReadExactly(11)));
        await g.Send(Convert.FromHexString("00086563686f00000001"));                              // session 1
        Assert.Equal("00096563686f0100000001", Convert.ToHexStringLower(await g.ReadExactly(11)));
    }

    [Fact]
    public async Task The_client_sends_the_transcript_lines_and_agrees_on_the_secret()
    {
        await using var h = await LoginHarness.Start(configureLogin: o => { o.Instance = 1; o.RandomKey = Keys(Challenge, "skey0001"u8.ToArray()); });
        var client = new LoginClient { RandomKey = () => "ckey0001"u8.ToArray(), Timeout = TestNode.Patience };
        var result = await TestNode.Within(client.LoginAsync("127.0.0.1", h.LoginPort, "hello", "sample", "password"));
        Assert.Equal(200, result.Code);
        Assert.Equal("200 MQ==", result.StatusLine);
        Assert.Equal("1", result.SubId);
        Assert.Equal("3b36c703b95b068e", Convert.ToHexStringLower(result.Secret));
        Assert.Equal("aGVsbG8=@c2FtcGxl#MQ==:1", MsgClient.HandshakeText("hello", "sample", "1", 1));
        Assert.Equal("0025614756736247383d40633246746347786c234d513d3d3a313a744d6462654b436e6a6f343d",
            Convert.ToHexStringLower(Skynet.Gate.NetPack.Pack(MsgClient.HandshakePayload("hello", "sample", "1", result.Secret, 1))));
    }

    [Fact]
    public async Task Client_lua_flow_reconnect_gets_the_cached_reply_and_fake_is_not_run()
    {
        await using var h = await LoginHarness.Start();
        var login = await h.LoginAs();
        Assert.Equal(200, login.Code);

        await using (var first = await h.Connect())
        {
            Assert.Equal("200 OK", await TestNode.Within(first.HandshakeAsync("hello", "sample", login.SubId!, login.Secret, 1)));
            await TestNode.Within(first.SendRequestAsync("echo"u8.ToArray(), 0)); // not read
            await TestNode.Within(h.RequestStarted.WaitAsync(TestNode.Patience)); // the server has it before we hang up
        }

        await using var second = await h.Connect();
        Assert.Equal("200 OK", await TestNode.Within(second.HandshakeAsync("hello", "sample", login.SubId!, login.Secret, 2)));
        await TestNode.Within(second.SendRequestAsync("fake"u8.ToArray(), 0));
        await TestNode.Within(second.SendRequestAsync("again"u8.ToArray(), 1));
        var a = await TestNode.Within(second.ReadResponseAsync());
        var b = await TestNode.Within(second.ReadResponseAsync());
        Assert.Equal((true, "echo", 0u), (a.Ok, Encoding.ASCII.GetString(a.Content), a.Session));
        Assert.Equal((true, "again", 1u), (b.Ok, Encoding.ASCII.GetString(b.Content), b.Session));
        lock (h.Handled) Assert.Equal(["echo", "again"], h.Handled);
    }
}
