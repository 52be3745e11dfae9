using Skynet.Runtime.Tests.Net;
using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Login;

/// <summary>Login server and msgserver admission: MaxClient and pending handshakes, so silent clients cannot lock others out.</summary>
public sealed class AdmissionTests
{
    [Fact]
    public async Task A_login_connection_past_MaxClient_is_closed_and_logged()
    {
        await using var h = await LoginHarness.Start(configureLogin: o => { o.MaxClient = 1; o.MaxPendingHandshakes = 1; });
        using var silent = await TcpTestClient.Connect(h.LoginPort);
        Assert.NotNull(await silent.ReadLine()); // the challenge: it is admitted, and then says nothing
        using var refused = await TcpTestClient.Connect(h.LoginPort);
        Assert.Equal("", await refused.Rest());
        await TestNode.Within(h.T.Logs.WaitFor("login server full"));
    }

    [Fact]
    public async Task Past_MaxPendingHandshakes_the_oldest_silent_login_is_closed_and_a_real_login_succeeds()
    {
        await using var h = await LoginHarness.Start(configureLogin: o => { o.MaxClient = 100; o.MaxPendingHandshakes = 2; });
        using var first = await TcpTestClient.Connect(h.LoginPort);
        Assert.NotNull(await first.ReadLine());
        using var second = await TcpTestClient.Connect(h.LoginPort);
        Assert.NotNull(await second.ReadLine());
        var login = await h.LoginAs(); // the third connection evicts the first silent one
        Assert.True(login.IsSuccess, login.StatusLine);
        Assert.Equal("", await first.Rest());
        await TestNode.Within(h.T.Logs.WaitFor("handshakes pending (MaxPendingHandshakes); closing the oldest"));
    }

    [Fact]
    public async Task Past_MaxPendingHandshakes_the_oldest_silent_msgserver_client_is_closed()
    {
        await using var h = await LoginHarness.Start(configureMsg: o => o.MaxPendingHandshakes = 2);
        using var first = await TcpTestClient.Connect(h.GatePort);
        using var second = await TcpTestClient.Connect(h.GatePort);
        var login = await h.LoginAs();
        await using var client = await h.Connect(); // the third connection evicts the first
        Assert.Empty(await first.ReadToEnd());
        Assert.Equal("200 OK", await TestNode.Within(client.HandshakeAsync("hello", "sample", login.SubId!, login.Secret, 1)));
        await TestNode.Within(h.T.Logs.WaitFor("connections without a handshake (MaxPendingHandshakes); closing the oldest"));
        GC.KeepAlive(second);
    }
}
