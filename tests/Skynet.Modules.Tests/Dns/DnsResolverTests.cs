using System.Net;
using Skynet.Modules.Tests.TestSupport;
using Skynet.NameResolution;

namespace Skynet.Modules.Tests.Dns;

public sealed class DnsResolverTests : IDisposable
{
    readonly FakeDnsServer _server = new();
    readonly ManualClock _clock = new();

    public DnsResolverTests()
    {
        _server.Records["game.example"] = ([IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2"), IPAddress.Parse("fd00::1")], 30);
    }

    public void Dispose() => _server.Dispose();

    // Timeouts are generous where an answer is expected (a loaded CI machine must not turn answers into timeouts)
    // and short only where silence is the point.
    DnsResolverOptions Options(TimeSpan timeout, params IPEndPoint[] servers) => new()
    {
        Servers = servers.Length > 0 ? servers : [_server.EndPoint],
        HostsFile = null,
        Timeout = timeout,
        TimeProvider = _clock,
    };

    DnsResolver Resolver(params IPEndPoint[] servers) => new(Options(TimeSpan.FromSeconds(10), servers));

    [Fact]
    public async Task Answers_are_cached_for_their_ttl()
    {
        var dns = Resolver();
        var (first, all) = await dns.Resolve("Game.Example").WaitAsync(Inside.Patience);
        Assert.Equal(IPAddress.Parse("10.0.0.1"), first);
        Assert.Equal(["10.0.0.1", "10.0.0.2"], all.Select(a => a.ToString()));
        var (v6, _) = await dns.Resolve("game.example", ipv6: true).WaitAsync(Inside.Patience);
        Assert.Equal(IPAddress.Parse("fd00::1"), v6);
        Assert.Equal(2, _server.Queries);

        _clock.Advance(TimeSpan.FromSeconds(29));
        await dns.Resolve("game.example").WaitAsync(Inside.Patience);
        Assert.Equal(2, _server.Queries);
        _clock.Advance(TimeSpan.FromSeconds(2));
        await dns.Resolve("game.example").WaitAsync(Inside.Patience);
        Assert.Equal(3, _server.Queries);
    }

    [Fact]
    public async Task Concurrent_lookups_of_one_name_share_one_query()
    {
        var dns = Resolver();
        var all = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => dns.Resolve("game.example"))).WaitAsync(Inside.Patience);
        Assert.All(all, r => Assert.Equal(IPAddress.Parse("10.0.0.1"), r.Address));
        Assert.Equal(1, _server.Queries);
    }

    [Fact]
    public async Task A_silent_server_times_out_and_the_next_one_answers()
    {
        using var silent = new FakeDnsServer { Silent = true };
        var dns = new DnsResolver(Options(TimeSpan.FromSeconds(2), silent.EndPoint, _server.EndPoint));
        var (address, _) = await dns.Resolve("game.example").WaitAsync(Inside.Patience);
        Assert.Equal(IPAddress.Parse("10.0.0.1"), address);
        Assert.Equal(1, silent.Queries);
    }

    [Fact]
    public async Task No_answer_fails_with_a_timeout_unless_an_expired_answer_is_cached()
    {
        var options = Options(TimeSpan.FromSeconds(10));
        var dns = new DnsResolver(options);
        await dns.Resolve("game.example").WaitAsync(Inside.Patience);
        options.Timeout = TimeSpan.FromMilliseconds(300); // from now on the server is silent
        _server.Silent = true;
        _clock.Advance(TimeSpan.FromMinutes(5));
        var (stale, _) = await dns.Resolve("game.example").WaitAsync(Inside.Patience); // skynet's lookup_cache(..., true)
        Assert.Equal(IPAddress.Parse("10.0.0.1"), stale);

        var e = await Assert.ThrowsAsync<DnsException>(() => dns.Resolve("other.example").WaitAsync(Inside.Patience));
        Assert.IsType<TimeoutException>(e.InnerException);
        Assert.Contains("did not answer within 0.3 s", e.Message);
    }

    [Fact]
    public async Task Errors_are_named()
    {
        var dns = Resolver();
        Assert.Contains("does not exist", (await Assert.ThrowsAsync<DnsException>(() => dns.Resolve("nope.example"))).Message);
        Assert.Contains("illegal name", (await Assert.ThrowsAsync<DnsException>(() => dns.Resolve("bad..name"))).Message);
        Assert.Contains("illegal ip address", (await Assert.ThrowsAsync<DnsException>(() => dns.Resolve("::1"))).Message);
        _server.Records["v6only.example"] = ([IPAddress.Parse("fd00::2")], 10);
        Assert.Contains("has no A record", (await Assert.ThrowsAsync<DnsException>(() => dns.Resolve("v6only.example"))).Message);
    }

    [Fact]
    public async Task Garbage_before_the_answer_is_ignored()
    {
        _server.GarbageFirst = true;
        var (address, _) = await Resolver().Resolve("game.example").WaitAsync(Inside.Patience);
        Assert.Equal(IPAddress.Parse("10.0.0.1"), address);
    }

    [Fact]
    public async Task Literals_and_the_hosts_file_need_no_server()
    {
        var hosts = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(hosts, "127.0.0.1 localhost\n10.1.2.3  db.local  db # comment\n[fd00::9] db.local\n");
            var dns = new DnsResolver(new DnsResolverOptions { Servers = [_server.EndPoint], HostsFile = hosts });
            Assert.Equal(IPAddress.Parse("192.168.1.9"), (await dns.Resolve("192.168.1.9")).Address);
            Assert.Equal(IPAddress.Parse("10.1.2.3"), (await dns.Resolve("DB")).Address);
            Assert.Equal(IPAddress.Parse("fd00::9"), (await dns.Resolve("db.local", ipv6: true)).Address);
            Assert.Equal(0, _server.Queries);
        }
        finally
        {
            File.Delete(hosts);
        }
    }

    [Fact]
    public async Task A_lookup_waiting_on_the_network_does_not_block_the_worker()
    {
        await using var node = new SkynetNode(new SkynetOptions { Threads = 1 });
        node.Start();
        using var silent = new FakeDnsServer { Silent = true };
        var dns = new DnsResolver(new DnsResolverOptions { Servers = [silent.EndPoint], HostsFile = null, Timeout = TimeSpan.FromSeconds(20) });
        var lookup = Inside.Run(node, async _ => await dns.Resolve("game.example"));
        await silent.IgnoredQuery.Task.WaitAsync(Inside.Patience); // the query is on the wire, its service waiting
        var echo = await node.NewService(new Echo());
        for (var i = 0; i < 50; i++) Assert.Equal(i, await node.Call(echo, "echo", i).WaitAsync(Inside.Patience));
        Assert.False(lookup.IsCompleted);
    }

    sealed class Echo : Service
    {
        protected override ValueTask OnStart(object?[] args)
        {
            Dispatch(PType.Lua, message =>
            {
                Ret(message.Args[1]);
                return default;
            });
            return default;
        }
    }
}
