using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Skynet.Modules.Tests.PlayerStore;

/// <summary>
/// A real PostgreSQL server for the tests: <c>postgres.sh</c> installs Debian's package when it is missing, runs
/// initdb in a temp folder and starts the server on a free loopback port (as the 'postgres' user when run as root);
/// dispose stops it and deletes the folder. Nothing is skipped: if the server cannot start, the tests fail.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    static readonly string Script = Path.Combine(AppContext.BaseDirectory, "PlayerStore", "postgres.sh");
    readonly string _dir = Path.Combine(Path.GetTempPath(), $"skynet-pg-{Environment.ProcessId}-{Guid.NewGuid():N}");

    public int Port { get; } = FreePort();

    public string ConnectionString =>
        $"Host=127.0.0.1;Port={Port};Username=skynet;Database=postgres;Timeout=10;Command Timeout=60;Maximum Pool Size=20";

    public Task InitializeAsync() => Start();

    public Task Start() => Run("start", _dir, Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public Task Stop() => Run("stop", _dir);

    public Task DisposeAsync() => Run("destroy", _dir);

    static async Task Run(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Script);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10)); // a first run may install the package
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"postgres.sh {string.Join(' ', args)} failed ({process.ExitCode}): {await stdout}{await stderr}");
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
