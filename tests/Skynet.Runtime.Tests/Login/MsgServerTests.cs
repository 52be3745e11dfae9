using Microsoft.Extensions.Configuration;
using System.Buffers.Binary;
using System.Text;
using Skynet.Login;
using Skynet.Runtime.Tests.Net;
using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Login;

/// <summary>The msgserver's handshake statuses, request framing, reconnect cache and bad input.</summary>
public sealed class MsgServerTests
{
    static async Task<(MsgClient Client, LoginResult Login)> LoggedIn(LoginHarness h, string user = "hello", long index = 1)
    {
        var login = await h.LoginAs(user);
        Assert.Equal(200, login.Code);
        var client = await h.Connect();
        Assert.Equal("200 OK", await TestNode.Within(client.HandshakeAsync(user, "sample", login.SubId!, login.Secret, index)));
        return (client, login);
    }

    static async Task<string> Echo(MsgClient client, string text, uint session)
    {
        var response = await TestNode.Within(client.RequestAsync(Encoding.UTF8.GetBytes(text), session));
        Assert.True(response.Ok);
        Assert.Equal(session, response.Session);
        return Encoding.UTF8.GetString(response.Content);
    }

    static async Task AssertClosed(MsgClient client) =>
        await Assert.ThrowsAsync<IOException>(() => TestNode.Within(client.ReadFrameAsync()));

    [Fact]
    public async Task An_unknown_user_is_404_and_closed()
    {
        await using var h = await LoginHarness.Start();
        await using var c = await h.Connect();
        Assert.Equal("404 User Not Found", await TestNode.Within(c.HandshakeAsync("nobody", "sample", "1", new byte[8], 1)));
        await AssertClosed(c);
    }

    [Fact]
    public async Task A_replayed_or_lower_index_is_403_and_a_higher_one_works()
    {
        await using var h = await LoginHarness.Start();
        var (first, login) = await LoggedIn(h, index: 5);
        await first.DisposeAsync();
        foreach (var index in new long[] { 5, 4 })
        {
            await using var replay = await h.Connect();
            Assert.Equal("403 Index Expired", await TestNode.Within(replay.HandshakeAsync("hello", "sample", login.SubId!, login.Secret, index)));
            await AssertClosed(replay);
        }
        await using var next = await h.Connect();
        Assert.Equal("200 OK", await TestNode.Within(next.HandshakeAsync("hello", "sample", login.SubId!, login.Secret, 6)));
        Assert.Equal("hi", await Echo(next, "hi", 7));
    }

    [Fact]
    public async Task A_wrong_secret_is_401_and_closed()
    {
        await using var h = await LoginHarness.Start();
        var login = await h.LoginAs();
        await using var c = await h.Connect();
        Assert.Equal("401 Unauthorized", await TestNode.Within(c.HandshakeAsync("hello", "sample", login.SubId!, Crypt.RandomKey(), 1)));
        await AssertClosed(c);
    }

    [Theory]
    [InlineData("aGVsbG8=@c2FtcGxl#MQ==:x:AAAAAAAAAAA=")]  // index not a number
    [InlineData("aGVsbG8=@c2FtcGxl#MQ==:1:A===")]         // hmac not base64
    public async Task A_malformed_handshake_of_a_known_user_is_400_and_closed(string handshake)
    {
        await using var h = await LoginHarness.Start();
        Assert.Equal("1", (await h.LoginAs()).SubId);
        await using var c = await h.Connect();
        await TestNode.Within(c.SendFrameAsync(Encoding.ASCII.GetBytes(handshake)));
        Assert.Equal("400 Bad Request", Encoding.ASCII.GetString(await TestNode.Within(c.ReadFrameAsync())));
        await AssertClosed(c);
    }

    [Theory]
    [InlineData("")]
    [InlineData("no colons at all")]
    [InlineData("\u00ff\u0000:")]
    public async Task A_handshake_without_two_colons_is_404_as_in_skynet(string handshake)
    {
        await using var h = await LoginHarness.Start();
        await using var c = await h.Connect();
        await TestNode.Within(c.SendFrameAsync(Encoding.Latin1.GetBytes(handshake)));
        Assert.Equal("404 User Not Found", Encoding.ASCII.GetString(await TestNode.Within(c.ReadFrameAsync())));
        await AssertClosed(c);
    }

    [Fact]
    public async Task Requests_are_answered_with_their_sessions_and_a_failing_handler_answers_ok_0()
    {
        await using var h = await LoginHarness.Start();
        var (c, _) = await LoggedIn(h);
        await using (c)
        {
            Assert.Equal("one", await Echo(c, "one", 1));
            Assert.Equal("", await Echo(c, "", 0xFFFFFFFF));
            var failed = await TestNode.Within(c.RequestAsync("fail"u8.ToArray(), 9));
            Assert.Equal((false, 9u, 0), (failed.Ok, failed.Session, failed.Content.Length));
            Assert.Equal("still alive", await Echo(c, "still alive", 10));
        }
        await TestNode.Within(h.T.Logs.WaitFor("the agent refuses 'fail'"));
    }

    [Fact]
    public async Task A_request_shorter_than_a_session_closes_only_that_connection()
    {
        await using var h = await LoginHarness.Start();
        var (bad, _) = await LoggedIn(h);
        var (good, _) = await LoggedIn(h, "world");
        await using (bad)
        await using (good)
        {
            await TestNode.Within(bad.SendFrameAsync(new byte[] { 1, 2, 3 }));
            await AssertClosed(bad);
            Assert.Equal("fine", await Echo(good, "fine", 1));
        }
        await TestNode.Within(h.T.Logs.WaitFor("Invalid package"));
    }

    [Fact]
    public async Task Reusing_a_pending_session_on_the_same_connection_is_a_protocol_error()
    {
        await using var h = await LoginHarness.Start();
        var hold = h.HoldRequests = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (c, _) = await LoggedIn(h);
        await using (c)
        {
            await TestNode.Within(c.SendRequestAsync("first"u8.ToArray(), 3));
            await TestNode.Within(h.RequestStarted.WaitAsync(TestNode.Patience));
            await TestNode.Within(c.SendRequestAsync("second"u8.ToArray(), 3));
            await AssertClosed(c);
        }
        await TestNode.Within(h.T.Logs.WaitFor("Conflict session 00000003"));
        hold.SetResult();
        lock (h.Handled) Assert.Equal(["first"], h.Handled);
    }

    [Fact]
    public async Task A_session_reused_after_its_reply_on_the_same_connection_runs_again()
    {
        await using var h = await LoginHarness.Start();
        var (c, _) = await LoggedIn(h);
        await using (c)
        {
            Assert.Equal("a", await Echo(c, "a", 5));
            Assert.Equal("b", await Echo(c, "b", 5));
        }
        lock (h.Handled) Assert.Equal(["a", "b"], h.Handled);
    }

    [Fact]
    public async Task A_reply_still_pending_at_reconnect_is_sent_on_the_new_connection()
    {
        await using var h = await LoginHarness.Start();
        var hold = h.HoldRequests = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (first, login) = await LoggedIn(h);
        await TestNode.Within(first.SendRequestAsync("slow"u8.ToArray(), 42));
        await TestNode.Within(h.RequestStarted.WaitAsync(TestNode.Patience));
        await first.DisposeAsync();

        await using var second = await h.Connect();
        Assert.Equal("200 OK", await TestNode.Within(second.HandshakeAsync("hello", "sample", login.SubId!, login.Secret, 2)));
        await TestNode.Within(second.SendRequestAsync("replayed"u8.ToArray(), 42)); // attaches to the pending one
        await TestNode.Within(second.SendRequestAsync("next"u8.ToArray(), 43));
        var next = await TestNode.Within(second.ReadResponseAsync());
        Assert.Equal(("next", 43u), (Encoding.ASCII.GetString(next.Content), next.Session));
        hold.SetResult();
        var slow = await TestNode.Within(second.ReadResponseAsync());
        Assert.Equal(("slow", 42u, true), (Encoding.ASCII.GetString(slow.Content), slow.Session, slow.Ok));
        lock (h.Handled) Assert.Equal(["slow", "next"], h.Handled);
    }

    [Fact]
    public async Task The_response_cache_is_trimmed_by_expired_number()
    {
        await using var h = await LoginHarness.Start(configureMsg: o => o.ExpiredNumber = 4);
        var (c, login) = await LoggedIn(h);
        await using (c)
        {
            for (uint session = 0; session < 50; session++) Assert.Equal("x", await Echo(c, "x", session));
        }
        var username = Skynet.Login.MsgServer.Username("hello", login.SubId!, "sample");
        // skynet's retire_response: at index 2 × 4 the entries older than 4 go and the rest shift down by 4, so after
        // 8 + 4k sends 4 are left; 50 sends leave the last 6 (sessions 44..49).
        Assert.Equal(6, (int)(await TestNode.Within(h.T.Node.Call(h.Gate, "cached", username)))!);
        await using var again = await h.Connect();
        Assert.Equal("200 OK", await TestNode.Within(again.HandshakeAsync("hello", "sample", login.SubId!, login.Secret, 2)));
        Assert.Equal("x", await Echo(again, "kept", 44)); // still cached: not run again
        Assert.Equal("trimmed", await Echo(again, "trimmed", 43)); // trimmed: runs
        lock (h.Handled) Assert.Equal(["trimmed"], h.Handled.Skip(50));
    }

    [Fact]
    public async Task A_reply_that_completes_after_the_reconnect_is_still_not_run_again()
    {
        await using var h = await LoginHarness.Start();
        var hold = h.HoldRequests = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (first, login) = await LoggedIn(h);
        var username = Skynet.Login.MsgServer.Username("hello", login.SubId!, "sample");
        await TestNode.Within(first.SendRequestAsync("slow"u8.ToArray(), 42));
        await TestNode.Within(h.RequestStarted.WaitAsync(TestNode.Patience));
        await first.DisposeAsync();

        await using var second = await h.Connect();
        Assert.Equal("200 OK", await TestNode.Within(second.HandshakeAsync("hello", "sample", login.SubId!, login.Secret, 2)));
        hold.SetResult(); // the reply is ready while the client is on its new connection, before it asks again
        while ((int)(await TestNode.Within(h.T.Node.Call(h.Gate, "pending", username)))! != 0) { }

        await TestNode.Within(second.SendRequestAsync("replayed"u8.ToArray(), 42)); // a session of the earlier connection
        var slow = await TestNode.Within(second.ReadResponseAsync());
        Assert.Equal(("slow", 42u, true), (Encoding.ASCII.GetString(slow.Content), slow.Session, slow.Ok));
        lock (h.Handled) Assert.Equal(["slow"], h.Handled);
    }

    [Fact]
    public async Task A_new_handshake_closes_the_connection_it_supersedes_so_a_kick_leaves_no_live_connection()
    {
        await using var h = await LoginHarness.Start();
        var (first, login) = await LoggedIn(h);
        await using (first)
        {
            await using var second = await h.Connect();
            Assert.Equal("200 OK", await TestNode.Within(second.HandshakeAsync("hello", "sample", login.SubId!, login.Secret, 2)));
            await AssertClosed(first); // not left authenticated next to the new one
            Assert.Equal("on second", await Echo(second, "on second", 1));
            Assert.Equal("2", (await h.LoginAs()).SubId); // kicks subid 1: its only connection closes
            await AssertClosed(second);
        }
        lock (h.Handled) Assert.Equal(["on second"], h.Handled);
    }

    [Fact]
    public async Task A_connection_without_a_handshake_is_closed_after_the_configured_timeout()
    {
        await using var h = await LoginHarness.Start(configureMsg: o => o.HandshakeTimeout = TimeSpan.FromSeconds(2)); // the later real login runs under it too
        using var silent = await TcpTestClient.Connect(h.GatePort);
        Assert.Empty(await silent.ReadToEnd());
        await TestNode.Within(h.T.Logs.WaitFor("sent no handshake"));
        var (c, _) = await LoggedIn(h);
        await using (c) Assert.Equal("ok", await Echo(c, "ok", 1));
    }

    [Fact]
    public async Task Ip_is_the_connected_address_and_null_after_disconnect()
    {
        await using var h = await LoginHarness.Start();
        var (c, login) = await LoggedIn(h);
        var username = Skynet.Login.MsgServer.Username("hello", login.SubId!, "sample");
        Assert.StartsWith("127.0.0.1:", (string?)await TestNode.Within(h.T.Node.Call(h.Gate, "ip", username)));
        await c.DisposeAsync();
        // the gate clears the address once its disconnect handler (the agent's "afk") has returned
        var deadline = DateTime.UtcNow + TestNode.Patience;
        while (await TestNode.Within(h.T.Node.Call(h.Gate, "ip", username)) is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, "ip still set after the disconnect");
            await Task.Delay(5);
        }
    }

    [Fact]
    public void Options_bind_from_configuration_including_the_handshake_timeouts()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Login:Port"] = "8001", ["Login:HandshakeTimeout"] = "00:00:05", ["Login:Profile"] = "Modern", ["Login:MultiLogin"] = "true",
            ["Msg:ServerName"] = "sample", ["Msg:ExpiredNumber"] = "16", ["Msg:HandshakeTimeout"] = "00:00:02",
        }).Build();
        var login = new LoginServerOptions();
        Microsoft.Extensions.Configuration.ConfigurationBinder.Bind(config.GetSection("Login"), login);
        var msg = new MsgServerOptions();
        Microsoft.Extensions.Configuration.ConfigurationBinder.Bind(config.GetSection("Msg"), msg);
        Assert.Equal((8001, TimeSpan.FromSeconds(5), LoginProfile.Modern, true), (login.Port, login.HandshakeTimeout, login.Profile, login.MultiLogin));
        Assert.Equal(("sample", 16, TimeSpan.FromSeconds(2)), (msg.ServerName, msg.ExpiredNumber, msg.HandshakeTimeout));
    }

    [Fact]
    public async Task Ip_userid_and_username_follow_skynet()
    {
        Assert.Equal("aGVsbG8=@c2FtcGxl#MQ==", Skynet.Login.MsgServer.Username("hello", "1", "sample"));
        Assert.Equal(("hello", "1", "sample"), Skynet.Login.MsgServer.UserId("aGVsbG8=@c2FtcGxl#MQ=="));
        Assert.Throws<FormatException>(() => Skynet.Login.MsgServer.UserId("no separators"));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_kick_by_the_login_server_logs_the_user_out_and_closes_its_connection()
    {
        await using var h = await LoginHarness.Start();
        var (c, first) = await LoggedIn(h);
        await using (c)
        {
            var again = await h.LoginAs(); // kicks subid 1
            Assert.Equal("2", again.SubId);
            await AssertClosed(c);
        }
    }

    [Fact]
    public async Task Response_frames_are_byte_exact()
    {
        await using var h = await LoginHarness.Start();
        var login = await h.LoginAs();
        using var raw = await TcpTestClient.Connect(h.GatePort);
        await raw.SendFrame(MsgClient.HandshakePayload("hello", "sample", login.SubId!, login.Secret, 1));
        Assert.Equal("200 OK", Encoding.ASCII.GetString(await raw.ReadFrame()));
        var request = new byte[2 + 3 + 4];
        BinaryPrimitives.WriteUInt16BigEndian(request, 7);
        "abc"u8.CopyTo(request.AsSpan(2));
        BinaryPrimitives.WriteUInt32BigEndian(request.AsSpan(5), 0x01020304);
        await raw.Send(request);
        Assert.Equal("0008616263010102030" + "4", Convert.ToHexStringLower(await raw.ReadExactly(10)));
    }
}
