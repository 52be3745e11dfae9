using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Skynet.Testing;

namespace Skynet.Testing.Tests;

public class DependencyInjectionTests
{
    public sealed class GameSettings
    {
        public int StartingGold { get; set; }
    }

    /// <summary>What the services below saw, owned by the test and handed over by the container.</summary>
    public sealed class Recorder
    {
        public TaskCompletionSource<string> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource<TimeProvider> Clock { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public List<Ledger> Ledgers { get; } = [];
    }

    /// <summary>Scoped: one per service instance, disposed when that service is gone.</summary>
    public sealed class Ledger : IDisposable
    {
        public TaskCompletionSource Disposed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public void Dispose() => Disposed.TrySetResult();
    }

    public sealed class Bank(ILogger<Bank> logger, IOptions<GameSettings> settings, TimeProvider clock, Ledger ledger, Recorder recorder) : Service
    {
        protected override ValueTask OnStart(object?[] args)
        {
            logger.LogInformation("bank open");
            lock (recorder.Ledgers) recorder.Ledgers.Add(ledger);
            recorder.Clock.TrySetResult(clock);
            recorder.Started.TrySetResult($"gold {settings.Value.StartingGold}");
            Dispatch(PType.Lua, message =>
            {
                if (message.Arg<string>(0) == "close") Exit();
                Ret(settings.Value.StartingGold); // a sent "close" has nobody to answer: Ret returns false
                return default;
            });
            return default;
        }
    }

    public interface IWorldMap;

    public sealed class Explorer(IWorldMap map) : Service
    {
        public IWorldMap Map { get; } = map;
    }

    static HostApplicationBuilder Builder(FakeTimeProvider? clock = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection([new("Skynet:Threads", "2"), new("Game:StartingGold", "250")]);
        builder.Logging.ClearProviders();
        builder.Services.Configure<GameSettings>(builder.Configuration.GetSection("Game"));
        builder.Services.AddSingleton<Recorder>();
        builder.Services.AddScoped<Ledger>();
        if (clock is not null) builder.Services.AddSingleton<TimeProvider>(clock);
        return builder;
    }

    [Fact]
    public async Task A_bootstrap_service_gets_loggers_options_the_clock_and_its_own_scope_from_the_host()
    {
        var clock = new FakeTimeProvider();
        var builder = Builder(clock);
        builder.AddSkynet(skynet => skynet.Bootstrap<Bank>());
        using var host = builder.Build();
        await host.StartAsync().WaitAsync(SkynetTestNode.DefaultWaitTimeout);
        var recorder = host.Services.GetRequiredService<Recorder>();
        var node = host.Services.GetRequiredService<SkynetNode>();

        Assert.Equal("gold 250", await recorder.Started.Task.WaitAsync(SkynetTestNode.DefaultWaitTimeout));
        Assert.Same(clock, await recorder.Clock.Task);
        Assert.Same(clock, node.Options.TimeProvider);
        await host.StopAsync().WaitAsync(SkynetTestNode.DefaultWaitTimeout);
        await recorder.Ledgers[0].Disposed.Task.WaitAsync(SkynetTestNode.DefaultWaitTimeout);
    }

    [Fact]
    public async Task Each_service_instance_gets_its_own_scope_disposed_when_it_exits()
    {
        var builder = Builder();
        builder.AddSkynet(skynet => skynet.AddService<Bank>());
        using var host = builder.Build();
        await host.StartAsync().WaitAsync(SkynetTestNode.DefaultWaitTimeout);
        var node = host.Services.GetRequiredService<SkynetNode>();
        var recorder = host.Services.GetRequiredService<Recorder>();

        var first = await node.NewService("Bank").WaitAsync(SkynetTestNode.DefaultWaitTimeout);
        var second = await node.NewService<Bank>().WaitAsync(SkynetTestNode.DefaultWaitTimeout);
        Assert.Equal(250, await node.Call(first, "gold").WaitAsync(SkynetTestNode.DefaultWaitTimeout));
        Assert.Equal(2, recorder.Ledgers.Count);
        Assert.NotSame(recorder.Ledgers[0], recorder.Ledgers[1]);

        node.Send(first, "close");
        await recorder.Ledgers[0].Disposed.Task.WaitAsync(SkynetTestNode.DefaultWaitTimeout);
        Assert.False(recorder.Ledgers[1].Disposed.Task.IsCompleted);
        Assert.NotNull(node.GetInfo(second));

        await host.StopAsync().WaitAsync(SkynetTestNode.DefaultWaitTimeout);
        await recorder.Ledgers[1].Disposed.Task.WaitAsync(SkynetTestNode.DefaultWaitTimeout);
    }

    [Fact]
    public async Task A_missing_registration_fails_the_start_naming_the_type_and_parameter()
    {
        var builder = Builder();
        builder.AddSkynet();
        using var host = builder.Build();
        await host.StartAsync().WaitAsync(SkynetTestNode.DefaultWaitTimeout);
        var node = host.Services.GetRequiredService<SkynetNode>();

        var ex = await Assert.ThrowsAsync<ServiceStartException>(() => node.NewService<Explorer>().WaitAsync(SkynetTestNode.DefaultWaitTimeout));
        Assert.Contains("Explorer needs IWorldMap (parameter 'map')", ex.Message);
        Assert.Contains("builder.Services.AddSingleton<IWorldMap>", ex.Message);
        Assert.Equal(0, node.ServiceCount);
        await host.StopAsync().WaitAsync(SkynetTestNode.DefaultWaitTimeout);
    }

    [Fact]
    public async Task Without_a_host_a_constructor_with_parameters_gets_a_clear_error_and_parameterless_services_work()
    {
        await using var test = new SkynetTestNode();
        var ex = await Assert.ThrowsAsync<ServiceStartException>(() => test.NewServiceAsync<Explorer>());
        Assert.Contains("no public parameterless constructor", ex.Message);
        Assert.Contains("AddSkynet", ex.Message);

        var probe = await test.NewProbeAsync();
        Assert.False((await test.NewServiceAsync<TestProbe>()).IsNone);
        Assert.Null(await test.CallAsync(probe.Self, "ping"));
    }

    [Fact]
    public async Task The_test_kit_takes_a_service_factory_for_constructor_injection()
    {
        var services = new ServiceCollection().AddSingleton<IWorldMap>(new WorldMap()).BuildServiceProvider();
        Explorer? made = null;
        await using var test = new SkynetTestNode(options => options.ServiceFactory = type => made = (Explorer)ActivatorUtilities.CreateInstance(services, type));
        await test.NewServiceAsync<Explorer>();
        Assert.IsType<WorldMap>(made!.Map);
    }

    sealed class WorldMap : IWorldMap;
}
