// A skynet node whose metrics (meter "Skynet") and call traces (activity source "Skynet") go to OpenTelemetry's
// console exporter. Run with: dotnet run --project samples/Skynet.Samples.Telemetry
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Skynet;
using Skynet.Diagnostics;
using Skynet.Samples.Telemetry;

var builder = Host.CreateApplicationBuilder(args);
builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
builder.AddOpenTelemetry()
    .WithMetrics(metrics => metrics.AddMeter(SkynetMetrics.MeterName).AddConsoleExporter())
    .WithTracing(tracing => tracing.AddSource(SkynetTracing.SourceName, Ping.SourceName).AddConsoleExporter());
builder.AddSkynet(skynet => skynet.AddService<Pong>("pong").Bootstrap<Ping>());
await builder.Build().RunAsync();
