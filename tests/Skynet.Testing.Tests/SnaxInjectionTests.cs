using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Skynet.Testing;
using static Skynet.Testing.Tests.DependencyInjectionTests;

namespace Skynet.Testing.Tests;

/// <summary>A snax service with constructor injection: its logger, options and a scoped ledger come from the host.</summary>
[Service]
public sealed partial class Treasury(ILogger<Treasury> logger, IOptions<GameSettings> settings, Ledger ledger, Recorder recorder) : Service
{
    int _gold;

    void OnInit(int bonus)
    {
        _gold = settings.Value.StartingGold + bonus;
        lock (recorder.Ledgers) recorder.Ledgers.Add(ledger);
        logger.LogInformation("treasury open with {Gold}", _gold);
    }

    [Accept]
    public void Deposit(int amount) => _gold += amount;

    [Response]
    public int Gold() => _gold;
}

public class SnaxInjectionTests
{
    static IHost StartHost()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection([new("Skynet:Threads", "2"), new("Game:StartingGold", "250")]);
        builder.Logging.ClearProviders();
        builder.Services.Configure<GameSettings>(builder.Configuration.GetSection("Game"));
        builder.Services.AddSingleton<Recorder>();
        builder.Services.AddScoped<Ledger>();
        builder.AddSkynet();
        return builder.Build();
    }

    [Fact]
    public async Task Snax_NewService_and_UniqueService_build_a_Service_class_through_the_host_s_container()
    {
        using var host = StartHost();
        await host.StartAsync().WaitAsync(SkynetTestNode.DefaultWaitTimeout);
        var node = host.Services.GetRequiredService<SkynetNode>();
        var recorder = host.Services.GetRequiredService<Recorder>();

        var treasury = await Snax.NewService<Treasury>(node, 50).WaitAsync(SkynetTestNode.DefaultWaitTimeout);
        treasury.Post.Deposit(5);
        Assert.Equal(305, await treasury.Req.Gold().AsTask().WaitAsync(SkynetTestNode.DefaultWaitTimeout));

        var unique = await Snax.UniqueService<Treasury>(node, 1).WaitAsync(SkynetTestNode.DefaultWaitTimeout);
        var again = await Snax.UniqueService<Treasury>(node, 2).WaitAsync(SkynetTestNode.DefaultWaitTimeout);
        Assert.Equal(unique.Target, again.Target);
        Assert.Equal(251, await unique.Req.Gold().AsTask().WaitAsync(SkynetTestNode.DefaultWaitTimeout));

        // Each instance got its own scope, disposed when that instance is gone.
        Assert.Equal(2, recorder.Ledgers.Count);
        Assert.NotSame(recorder.Ledgers[0], recorder.Ledgers[1]);
        await Snax.Kill(treasury).WaitAsync(SkynetTestNode.DefaultWaitTimeout);
        await recorder.Ledgers[0].Disposed.Task.WaitAsync(SkynetTestNode.DefaultWaitTimeout);
        Assert.False(recorder.Ledgers[1].Disposed.Task.IsCompleted);
        await host.StopAsync().WaitAsync(SkynetTestNode.DefaultWaitTimeout);
    }

    [Fact]
    public async Task Without_a_host_a_snax_service_with_constructor_parameters_gets_a_clear_error()
    {
        await using var test = new SkynetTestNode();
        var ex = await Assert.ThrowsAsync<ServiceStartException>(() => Snax.NewService<Treasury>(test.Node, 1).WaitAsync(test.WaitTimeout));
        Assert.Contains("no public parameterless constructor", ex.Message);
        Assert.Contains("AddSkynet", ex.Message);
    }
}
