using Skynet;
using Skynet.Testing;

namespace SkynetNode1.Tests;

public class LobbyTests
{
    [Fact]
    public async Task The_match_starts_when_the_countdown_ends_on_the_virtual_clock()
    {
        await using var test = new SkynetTestNode();
        var lobby = await Snax.NewService<Lobby>(test.Node, TimeSpan.FromSeconds(30)).WaitAsync(test.WaitTimeout);

        lobby.Post.Join("alice");
        lobby.Post.Join("bob");
        Assert.Equal("waiting: 2 player(s)", await lobby.Req.Status().AsTask().WaitAsync(test.WaitTimeout));

        await test.AdvanceAsync(TimeSpan.FromSeconds(29));
        Assert.Equal("waiting: 2 player(s)", await lobby.Req.Status().AsTask().WaitAsync(test.WaitTimeout));

        await test.AdvanceAsync(TimeSpan.FromSeconds(1));   // instantly, in real time
        Assert.Equal("playing: 2 player(s)", await lobby.Req.Status().AsTask().WaitAsync(test.WaitTimeout));
        Assert.Contains(test.Logs.For(lobby.Target), line => line.Message.StartsWith("match started at 3000 cs", StringComparison.Ordinal));
        test.AssertNoFailures();
    }

    [Fact]
    public async Task The_bootstrap_service_starts_the_lobby()
    {
        await using var test = new SkynetTestNode(options => options.Env["lobby_countdown_seconds"] = "5");
        await test.NewServiceAsync<Main>();
        var lobby = await Snax.QueryService<Lobby>(test.Node, test.WaitTimeout);
        Assert.Equal("waiting: 0 player(s)", await lobby.Req.Status().AsTask().WaitAsync(test.WaitTimeout));
        test.AssertNoFailures();
    }
}
