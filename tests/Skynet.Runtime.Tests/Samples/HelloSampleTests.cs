using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Skynet.Runtime.Tests.TestSupport;
using Skynet.Samples.Hello;

namespace Skynet.Runtime.Tests.Samples;

/// <summary>Runs the README's first command in-process: the hello node's whole tour, to its own shutdown.</summary>
public class HelloSampleTests
{
    [Fact]
    public async Task The_hello_tour_runs_to_the_end_and_stops_the_node_by_itself()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection([new("Skynet:Threads", "2")]);
        var logs = new LogCapture();
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.AddSkynet(HelloNode.Configure);
        using var host = builder.Build();
        var previousExitCode = Environment.ExitCode;

        await host.RunAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(previousExitCode, Environment.ExitCode);
        Assert.True(logs.Contains("call echo -> hello, round trip"));
        Assert.True(logs.Contains("mydb.Req.Get(name) -> skynet for .NET"));
        Assert.True(logs.Contains("simplesnax echo -> snax"));
        Assert.True(logs.Contains("without a critical section -> balance 10 (updates were lost)"));
        Assert.True(logs.Contains("inside a CriticalSection -> balance 100"));
        Assert.True(logs.Contains("sleep ended early: True"));
        Assert.True(logs.Contains("tour done; stopping the node"));
        Assert.DoesNotContain(logs.Lines, line => line.Level >= LogLevel.Error);
    }
}
