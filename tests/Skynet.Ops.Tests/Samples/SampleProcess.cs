using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace Skynet.Ops.Tests.Samples;

/// <summary>
/// A sample as a separate process (its built dll, what <c>dotnet run --project</c> starts), with its standard output
/// collected so the test can wait for log lines.
/// </summary>
public sealed class SampleProcess : IAsyncDisposable
{
    readonly Process _process;
    readonly List<string> _lines = [];
    readonly Lock _gate = new();
    readonly List<(Regex Pattern, TaskCompletionSource<Match> Seen)> _waiters = [];

    SampleProcess(Process process) => _process = process;

    public static SampleProcess Start(string sample, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(SampleDll(sample));
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var hello = new SampleProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) hello.Add(line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) hello.Add(line); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return hello;
    }

    public int Id => _process.Id;

    public string Output { get { lock (_gate) return string.Join('\n', _lines); } }

    /// <summary>Completes with the first output line matching <paramref name="pattern"/> (earlier lines included).</summary>
    public Task<Match> WaitFor(string pattern)
    {
        var regex = new Regex(pattern);
        var seen = new TaskCompletionSource<Match>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            foreach (var line in _lines)
                if (regex.Match(line) is { Success: true } match) { seen.SetResult(match); return seen.Task; }
            _waiters.Add((regex, seen));
        }
        return seen.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async Task<IPEndPoint> ConsoleEndPoint()
    {
        var match = await WaitFor(@"Start debug console at ([0-9.]+):(\d+)");
        return new IPEndPoint(IPAddress.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value));
    }

    /// <summary>Waits for the process to end by itself and returns its exit code.</summary>
    public async Task<int> Exited()
    {
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM, as a service manager does, and returns the exit code.</summary>
    public async Task<int> Terminate()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()])) await kill.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return _process.ExitCode;
    }

    void Add(string line)
    {
        lock (_gate)
        {
            _lines.Add(line);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Pattern.Match(line) is not { Success: true } match) continue;
                _waiters[i].Seen.TrySetResult(match);
                _waiters.RemoveAt(i);
            }
        }
    }

    static string SampleDll(string sample)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var dll = Path.Combine(directory.FullName, "samples", sample, "bin", configuration, "net10.0", sample + ".dll");
            if (File.Exists(dll)) return dll;
        }
        throw new FileNotFoundException($"Build samples/{sample} first; its dll was not found above " + AppContext.BaseDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        _process.Dispose();
    }
}
