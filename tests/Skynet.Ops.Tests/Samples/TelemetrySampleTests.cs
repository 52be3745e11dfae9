namespace Skynet.Ops.Tests.Samples;

/// <summary>The OpenTelemetry sample: its console exporter prints the node's call activities and the Skynet meter.</summary>
public class TelemetrySampleTests
{
    [Fact]
    public async Task The_console_exporter_prints_call_activities_and_the_Skynet_metrics()
    {
        await using var sample = SampleProcess.Start("Skynet.Samples.Telemetry", "--Skynet:Threads=2");

        Assert.Equal(0, await sample.Exited());
        var output = sample.Output;
        Assert.Contains("Activity.DisplayName:        skynet.call", output);
        Assert.Contains("skynet.destination: :", output);
        Assert.Contains("Metric Name: skynet.call.duration", output);
        Assert.Contains("Metric Name: skynet.messages.handled", output);
        Assert.Contains("skynet.failure: HandlerFailed", output);
    }
}
