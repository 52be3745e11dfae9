using System.Diagnostics;
using System.Text;

namespace Skynet.Templates.Tests;

/// <summary>Runs a command line tool with a bounded time, capturing its output; a hung process is killed with its children.</summary>
internal static class DotNetCli
{
    public sealed record Result(int ExitCode, string Output)
    {
        public Result EnsureSuccess(string what) =>
            ExitCode == 0 ? this : throw new Xunit.Sdk.XunitException($"{what} failed with exit code {ExitCode}:{Environment.NewLine}{Output}");
    }

    static string DotNet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    public static Task<Result> DotNetAsync(string workingDirectory, TimeSpan timeout, params string[] args) => RunAsync(DotNet, workingDirectory, timeout, args);

    public static async Task<Result> RunAsync(string fileName, string workingDirectory, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // The test host's MSBuild settings must not leak into builds of unrelated projects; no servers outlive a command.
        foreach (var key in start.Environment.Keys.Where(static k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

        using var process = new Process { StartInfo = start };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            lock (output) throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not finish within {timeout}:{Environment.NewLine}{output}");
        }
        process.WaitForExit(); // flushes the redirected streams
        lock (output) return new Result(process.ExitCode, output.ToString());
    }
}
