using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Hosting;

public class HostingTests
{
    public sealed class Boot : Service
    {
        // Test probes the test resets before each run; shared static state is the point here (SKY1016 forbids it in real services).
#pragma warning disable SKY1016
        public static TaskCompletionSource<(string? Thread, string? Custom, int Harbor)> Started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public static TaskCompletionSource ExitSeen = new(TaskCreationOptions.RunContinuationsAsynchronously);
#pragma warning restore SKY1016

        protected override ValueTask OnStart(object?[] args)
        {
            Started.TrySetResult((GetEnv("Threads"), GetEnv("custom"), Self.Harbor));
            return default;
        }

        protected override ValueTask OnExit()
        {
            ExitSeen.TrySetResult();
            return default;
        }
    }

    public sealed class ShutsDown : Service
    {
        protected override ValueTask OnStart(object?[] args)
        {
            SetTimeout(TimeSpan.FromMilliseconds(10), () => Node.Shutdown());
            return default;
        }
    }

    /// <summary>skynet's main.lua: starts what it needs, then exits at the end of its start.</summary>
    public sealed class MainThatExits : Service
    {
#pragma warning disable SKY1016
        public static TaskCompletionSource Ran = new(TaskCreationOptions.RunContinuationsAsynchronously);
#pragma warning restore SKY1016

        protected override ValueTask OnStart(object?[] args)
        {
            Ran.TrySetResult();
            Exit();
            return default;
        }
    }

    public sealed class BrokenBoot : Service
    {
        protected override ValueTask OnStart(object?[] args) => throw new InvalidOperationException("no config");
    }

    static HostApplicationBuilder Builder(params (string Key, string Value)[] config)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(config.Select(c => new KeyValuePair<string, string?>(c.Key, c.Value)));
        builder.Logging.ClearProviders();
        return builder;
    }

    [Fact]
    public async Task AddSkynet_runs_a_node_from_configuration_and_stopping_the_host_runs_exit_hooks()
    {
        Boot.Started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Boot.ExitSeen = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = Builder(("Skynet:Threads", "2"), ("Skynet:Harbor", "7"), ("Skynet:Env:custom", "value"));
        builder.AddSkynet(skynet => skynet.Bootstrap<Boot>());
        using var host = builder.Build();
        await TestNode.Within(host.StartAsync());
        var node = host.Services.GetRequiredService<SkynetNode>();
        Assert.Equal(2, node.ThreadCount);
        Assert.Equal(("2", "value", 7), await TestNode.Within(Boot.Started.Task));
        await TestNode.Within(host.StopAsync());
        Assert.True(Boot.ExitSeen.Task.IsCompletedSuccessfully);
        Assert.True(node.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_service_calling_Shutdown_stops_the_host()
    {
        var builder = Builder(("Skynet:Threads", "1"));
        builder.AddSkynet(skynet => skynet.Bootstrap<ShutsDown>());
        using var host = builder.Build();
        var node = host.Services.GetRequiredService<SkynetNode>();
        await TestNode.Within(host.RunAsync());
        Assert.True(node.Completion.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_failing_bootstrap_stops_the_host_with_exit_code_1()
    {
        var builder = Builder(("Skynet:Threads", "1"));
        var logs = new LogCapture();
        builder.Logging.AddProvider(logs);
        builder.AddSkynet(skynet => skynet.Bootstrap<BrokenBoot>());
        using var host = builder.Build();
        var previous = Environment.ExitCode;
        try
        {
            await TestNode.Within(host.RunAsync());
            Assert.Equal(1, Environment.ExitCode);
            Assert.True(logs.Contains("no config"));
        }
        finally
        {
            Environment.ExitCode = previous;
        }
    }

    [Fact]
    public async Task A_bootstrap_that_exits_at_the_end_of_its_start_is_a_success_as_skynet_s_main_lua_is()
    {
        MainThatExits.Ran = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = Builder(("Skynet:Threads", "1"));
        var logs = new LogCapture();
        builder.Logging.AddProvider(logs);
        builder.AddSkynet(skynet => skynet.Bootstrap<MainThatExits>());
        using var host = builder.Build();
        var previous = Environment.ExitCode;
        try
        {
            await TestNode.Within(host.StartAsync());
            await TestNode.Within(MainThatExits.Ran.Task);
            var node = host.Services.GetRequiredService<SkynetNode>();
            Assert.False(node.Completion.IsCompleted);
            Assert.Equal(previous, Environment.ExitCode);
            Assert.True(logs.Contains("started the node and exited"));
            await TestNode.Within(host.StopAsync());
        }
        finally
        {
            Environment.ExitCode = previous;
        }
    }

    [Fact]
    public async Task Skynet_Net_sets_the_node_s_network_limits()
    {
        var builder = Builder(("Skynet:Threads", "1"), ("Skynet:Net:SendBudget", "12345678"), ("Skynet:Net:DescriptorHeadroom", "77"),
            ("Skynet:Net:FlushTimeout", "00:00:03"));
        builder.AddSkynet();
        using var host = builder.Build();
        var limits = Skynet.Net.NetLimits.For(host.Services.GetRequiredService<SkynetNode>());
        Assert.Equal((12345678L, 77, TimeSpan.FromSeconds(3)), (limits.SendBudget, limits.DescriptorHeadroom, limits.FlushTimeout));
    }

    [Fact]
    public void A_bad_network_limit_in_configuration_fails_the_node_with_the_setting_named()
    {
        var builder = Builder(("Skynet:Net:SendBudget", "0"));
        builder.AddSkynet();
        using var host = builder.Build();
        var error = Assert.ThrowsAny<Exception>(() => host.Services.GetRequiredService<SkynetNode>());
        Assert.Contains("SendBudget", error.ToString());
    }
}
