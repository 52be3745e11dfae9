using System.Diagnostics;
using Skynet.Login;
using Skynet.Runtime.Tests.Net;
using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Login;

/// <summary>Status codes and bad input of the login server; each bad client affects only itself.</summary>
public sealed class LoginServerTests
{
    /// <summary>Runs the handshake by hand up to the hmac line, so a test can send anything from there on.</summary>
    static async Task<(TcpTestClient Client, byte[] Challenge, byte[] Secret)> Handshake(int port)
    {
        var c = await TcpTestClient.Connect(port);
        var challenge = Crypt.Base64Decode((await c.ReadLine())!);
        var key = Crypt.RandomKey();
        await c.SendLine(Crypt.Base64Encode(Crypt.DhExchange(key)));
        var secret = Crypt.DhSecret(Crypt.Base64Decode((await c.ReadLine())!), key);
        return (c, challenge, secret);
    }

    static async Task AssertOtherLoginsWork(LoginHarness h, string user = "other")
    {
        var ok = await h.LoginAs(user);
        Assert.Equal(200, ok.Code);
    }

    [Fact]
    public async Task A_good_login_answers_200_with_the_subid_and_closes()
    {
        await using var h = await LoginHarness.Start();
        var result = await h.LoginAs();
        Assert.True(result.IsSuccess);
        Assert.Equal("1", result.SubId);
        Assert.Equal(8, result.Secret.Length);
        var second = await h.LoginAs("world");
        Assert.Equal("2", second.SubId);
    }

    [Fact]
    public async Task A_wrong_password_is_401()
    {
        await using var h = await LoginHarness.Start();
        var result = await h.LoginAs(password: "wrong");
        Assert.Equal("401 Unauthorized", result.StatusLine);
        await TestNode.Within(h.T.Logs.WaitFor("Invalid password"));
        await AssertOtherLoginsWork(h);
    }

    [Fact]
    public async Task A_failing_login_handler_is_403()
    {
        await using var h = await LoginHarness.Start();
        var result = await h.LoginAs(server: "nowhere");
        Assert.Equal("403 Forbidden", result.StatusLine);
        await TestNode.Within(h.T.Logs.WaitFor("Unknown server"));
        await AssertOtherLoginsWork(h);
    }

    [Fact]
    public async Task A_second_login_of_a_user_still_logging_in_is_406_without_multilogin()
    {
        await using var h = await LoginHarness.Start();
        h.HoldLogin = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = h.LoginAs();
        await TestNode.Within(h.LoginHeld.Task);
        var second = await h.LoginAs();
        Assert.Equal("406 Not Acceptable", second.StatusLine);
        h.HoldLogin.SetResult();
        Assert.Equal(200, (await first).Code);
        await TestNode.Within(h.T.Logs.WaitFor("User hello is already login"));
    }

    [Fact]
    public async Task With_multilogin_concurrent_logins_are_not_refused_with_406()
    {
        await using var h = await LoginHarness.Start(configureLogin: o => o.MultiLogin = true);
        h.HoldLogin = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = h.LoginAs();
        await TestNode.Within(h.LoginHeld.Task);
        var second = h.LoginAs();
        h.HoldLogin.SetResult();
        var codes = new[] { (await first).Code, (await second).Code };
        Assert.DoesNotContain(406, codes);
        Assert.Contains(200, codes);
    }

    [Fact]
    public async Task A_login_kicks_the_previous_session_of_the_same_user()
    {
        await using var h = await LoginHarness.Start();
        var first = await h.LoginAs();
        var second = await h.LoginAs();
        Assert.Equal("1", first.SubId);
        Assert.Equal("2", second.SubId);
        await using var game = await h.Connect();
        Assert.Equal("404 User Not Found", await TestNode.Within(game.HandshakeAsync("hello", "sample", "1", first.Secret, 1)));
    }

    [Fact]
    public async Task A_wrong_hmac_is_answered_401_and_closed_as_skynet_does()
    {
        await using var h = await LoginHarness.Start();
        var (c, challenge, secret) = await Handshake(h.LoginPort);
        using (c)
        {
            var wrong = Crypt.Hmac64(challenge, Crypt.RandomKey());
            await c.SendLine(Crypt.Base64Encode(wrong));
            Assert.Equal("401 Unauthorized\n", await c.Rest());
        }
        await TestNode.Within(h.T.Logs.WaitFor("challenge failed"));
        await AssertOtherLoginsWork(h);
    }

    [Theory]
    [InlineData("!!!!", "Invalid client key")]          // garbage base64
    [InlineData("AQIDBAUGBw==", "Invalid client key")]  // 7 bytes
    [InlineData("AQIDBAUGBwgJ", "Invalid client key")]  // 9 bytes
    [InlineData("AAAAAAAAAAA=", "Invalid client key")]  // a zero key
    [InlineData("AQAAAAAAAAA=", "Invalid client key")]  // 1: the secret would be 1
    [InlineData("xP////////8=", "Invalid client key")]  // P-1: the secret would be 1 or P-1
    [InlineData("xf////////8=", "Invalid client key")]  // P, which is 0 modulo P
    [InlineData("xv////////8=", "Invalid client key")]  // P+1, which is 1 modulo P
    public async Task A_bad_client_key_is_401_and_logged(string keyLine, string logged)
    {
        await using var h = await LoginHarness.Start();
        using var c = await TcpTestClient.Connect(h.LoginPort);
        Assert.NotNull(await c.ReadLine());
        await c.SendLine(keyLine);
        var rest = await c.Rest();
        Assert.EndsWith("401 Unauthorized\n", rest); // degenerate keys are refused before the server key is sent (skynet accepts them)
        await TestNode.Within(h.T.Logs.WaitFor(logged));
        await AssertOtherLoginsWork(h);
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("AQIDBAUGBwg=")]            // 8 bytes that are not a DES block of a padded token
    [InlineData("AQIDBAUG")]                // not a multiple of 8
    public async Task A_token_that_does_not_decrypt_is_401(string tokenLine)
    {
        await using var h = await LoginHarness.Start();
        var (c, challenge, secret) = await Handshake(h.LoginPort);
        using (c)
        {
            await c.SendLine(Crypt.Base64Encode(Crypt.Hmac64(challenge, secret)));
            await c.SendLine(tokenLine);
            Assert.Equal("401 Unauthorized", await c.ReadLine());
        }
        await TestNode.Within(h.T.Logs.WaitFor("invalid client"));
        await AssertOtherLoginsWork(h);
    }

    [Fact]
    public async Task A_line_over_the_limit_closes_the_connection()
    {
        await using var h = await LoginHarness.Start();
        using var c = await TcpTestClient.Connect(h.LoginPort);
        Assert.NotNull(await c.ReadLine());
        await c.Send(new string('A', 9000)); // no newline, over 8192
        Assert.Equal("", await c.Rest());
        await TestNode.Within(h.T.Logs.WaitFor("exceeds its buffer limit"));
        await AssertOtherLoginsWork(h);
    }

    [Fact]
    public async Task A_client_that_stalls_is_closed_after_the_configured_timeout()
    {
        // Long enough that the real login afterwards, under the same timeout, finishes on a loaded 2-core machine.
        await using var h = await LoginHarness.Start(configureLogin: o => o.HandshakeTimeout = TimeSpan.FromSeconds(2));
        using var c = await TcpTestClient.Connect(h.LoginPort);
        var started = Stopwatch.StartNew();
        Assert.NotNull(await c.ReadLine());
        Assert.Equal("", await c.Rest()); // says nothing more: closed by the timeout
        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(1900), $"closed after {started.Elapsed}");
        await TestNode.Within(h.T.Logs.WaitFor("did not finish the handshake"));
        await AssertOtherLoginsWork(h);
    }

    [Fact]
    public async Task An_auth_handler_that_never_returns_answers_401_after_the_auth_timeout()
    {
        await using var h = await LoginHarness.Start(configureLogin: o =>
        {
            o.HandshakeTimeout = TimeSpan.FromSeconds(2); // the later real login runs under it too
            o.AuthTimeout = TimeSpan.FromMilliseconds(200);
        });
        var hold = h.HoldAuth = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stuck = await h.LoginAs();
        Assert.Equal("401 Unauthorized", stuck.StatusLine);
        await TestNode.Within(h.T.Logs.WaitFor("did not finish in time"));
        h.HoldAuth = null;
        hold.SetResult(); // the late handler's reply finds its call gone and is dropped
        await AssertOtherLoginsWork(h);
    }

    [Fact]
    public async Task A_client_that_hangs_up_mid_handshake_affects_nobody()
    {
        await using var h = await LoginHarness.Start();
        for (var i = 0; i < 5; i++)
        {
            using var c = await TcpTestClient.Connect(h.LoginPort);
            Assert.NotNull(await c.ReadLine());
            if (i % 2 == 0) c.Reset();
        }
        await TestNode.Within(h.T.Logs.WaitFor("auth failed: socket"));
        await AssertOtherLoginsWork(h);
    }

    [Fact]
    public async Task The_master_answers_commands_and_is_registered_by_name()
    {
        await using var h = await LoginHarness.Start();
        Assert.Equal(h.Login, h.T.Node.LocalName(".login_master"));
        await Assert.ThrowsAsync<CallFailedException>(() => TestNode.Within(h.T.Node.Call(h.Login, "nonsense")));
    }

    [Fact]
    public async Task A_slave_that_dies_is_replaced_and_costs_at_most_one_login()
    {
        await using var h = await LoginHarness.Start(); // 2 slaves, taken in turn
        var slaves = (Address[])(await TestNode.Within(h.T.Node.Call(h.Login, "slaves")))!;
        Assert.True(h.T.Node.Kill(slaves[0]));
        var codes = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            try { codes.Add((await h.LoginAs($"user{i}")).Code); }
            catch (IOException) { codes.Add(-1); } // the connection handed to the dead slave is closed
        }
        Assert.True(codes.Count(c => c == -1) <= 1, string.Join(",", codes));
        Assert.All(codes.Skip(2), c => Assert.Equal(200, c));
        await TestNode.Within(h.T.Logs.WaitFor("replaced by"));
    }

    [Fact]
    public async Task A_thousand_parallel_logins_all_complete()
    {
        await using var h = await LoginHarness.Start(configureLogin: o => { o.Instance = 8; o.Backlog = 1024; });
        using var limit = new SemaphoreSlim(64);
        var clock = Stopwatch.StartNew();
        var logins = Enumerable.Range(0, 1000).Select(async i =>
        {
            await limit.WaitAsync();
            try { return await h.Client().LoginAsync("127.0.0.1", h.LoginPort, $"user{i}", "sample", "password"); }
            finally { limit.Release(); }
        }).ToArray();
        var results = await Task.WhenAll(logins).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.All(results, r => Assert.Equal(200, r.Code));
        Assert.Equal(1000, results.Select(r => r.SubId).Distinct().Count());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"1000 logins took {clock.Elapsed}");
    }
}
