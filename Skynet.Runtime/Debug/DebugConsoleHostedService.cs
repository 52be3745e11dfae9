using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Skynet.Debugging;

/// <summary>Starts the debug console of a hosted node when <c>Skynet:Console:Port</c> is set (after the node started).</summary>
internal sealed class DebugConsoleHostedService(SkynetNode node, IConfiguration configuration, ILogger<DebugConsoleHostedService> logger) : IHostedService
{
    /// <summary>The configuration section: <c>Skynet:Console</c>.</summary>
    public const string SectionName = "Skynet:Console";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = new DebugConsoleOptions();
        configuration.GetSection(SectionName).Bind(options);
        if (options.Port is null) return;
        var console = await DebugConsole.Start(node, options).ConfigureAwait(false);
        logger.LogInformation("Debug console listening on {EndPoint}", console.EndPoint);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
