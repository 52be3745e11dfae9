using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Skynet.Login;

namespace Skynet.Runtime.Tests.Net;

/// <summary>
/// The login sample (a login server and a msgserver) runs in a child process under <c>ulimit -n 256</c> and is
/// flooded with more connections than it has descriptors. It must stay alive, pause its listeners (one log line per
/// episode), and log users in again once the flood is gone.
/// </summary>
public sealed partial class DescriptorLimitTests
{
    static readonly TimeSpan s_patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_flood_of_connections_under_a_low_descriptor_limit_pauses_accepting_and_never_kills_the_process()
    {
        if (!OperatingSystem.IsLinux()) return; // ulimit and the descriptor count through /proc are Linux features
        using var child = ChildNode.Start("--login-port 0 --gate-port 0", descriptorLimit: 256);
        var ready = await child.WaitForLine(ReadyLine());
        var loginPort = int.Parse(ready.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var gatePort = int.Parse(ready.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);

        // 600 stalled logins and 300 silent msgserver clients: far more than the 256 descriptors the child has.
        var flood = new List<Socket>();
        try
        {
            var connects = new List<Task<Socket?>>();
            for (var i = 0; i < 600; i++) connects.Add(TryConnect(loginPort));
            for (var i = 0; i < 300; i++) connects.Add(TryConnect(gatePort));
            foreach (var socket in await Task.WhenAll(connects).WaitAsync(s_patience))
                if (socket is not null) flood.Add(socket);

            await child.WaitForLine(PausedLine());
            Assert.False(child.HasExited, $"the node died under the flood:\n{child.Output}");
        }
        finally
        {
            foreach (var socket in flood) socket.Dispose();
        }

        // The flood is gone: descriptors come back, listeners accept again, and a real client logs in.
        LoginResult login = null!;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                login = await new LoginClient().LoginAsync("127.0.0.1", loginPort, "hello", "sample", "password").WaitAsync(s_patience);
                break;
            }
            catch (Exception ex) when (ex is IOException or SocketException && attempt < 20)
            {
                // a connection the flood left in the kernel's backlog can still be the one we got; try again
            }
        }
        Assert.True(login.IsSuccess, login.StatusLine);
        Assert.False(child.HasExited, $"the node died:\n{child.Output}");
        Assert.DoesNotContain("Out of memory", child.Output, StringComparison.Ordinal);
    }

    static async Task<Socket?> TryConnect(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await socket.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return socket;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            socket.Dispose(); // the kernel's backlog was full too: that is the listener pausing, as intended
            return null;
        }
    }

    [GeneratedRegex(@"login server on 127\.0\.0\.1:(\d+), msgserver 'sample' on 127\.0\.0\.1:(\d+)")]
    private static partial Regex ReadyLine();

    [GeneratedRegex(@"Descriptor budget: \d+ sockets open of \d+ allowed")]
    private static partial Regex PausedLine();
}

/// <summary>A sample node in a child process under a descriptor limit, its output collected line by line.</summary>
sealed class ChildNode : IDisposable
{
    readonly Process _process;
    readonly List<string> _lines = [];
    readonly SemaphoreSlim _newLine = new(0);

    ChildNode(Process process) => _process = process;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get { lock (_lines) return string.Join('\n', _lines); }
    }

    public static ChildNode Start(string arguments, int descriptorLimit)
    {
        var sample = Path.Combine(AppContext.BaseDirectory, "Skynet.Samples.Login.dll");
        Assert.True(File.Exists(sample), $"{sample} is missing: the test project references the login sample so it is copied here");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var info = new ProcessStartInfo("bash", ["-c", $"ulimit -n {descriptorLimit} && exec \"$0\" \"$1\" {arguments}", dotnet, sample])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = new Process { StartInfo = info };
        var child = new ChildNode(process);
        process.OutputDataReceived += (_, e) => child.Add(e.Data);
        process.ErrorDataReceived += (_, e) => child.Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    void Add(string? line)
    {
        if (line is null) return;
        lock (_lines) _lines.Add(line);
        _newLine.Release();
    }

    /// <summary>Waits for a line matching <paramref name="pattern"/> (seen before or after the call).</summary>
    public async Task<Match> WaitForLine(Regex pattern)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = 0;
        while (true)
        {
            string[] fresh;
            lock (_lines)
            {
                fresh = _lines.Skip(seen).ToArray();
                seen = _lines.Count;
            }
            foreach (var line in fresh)
                if (pattern.Match(line) is { Success: true } match) return match;
            if (_process.HasExited) Assert.Fail($"the child exited with {_process.ExitCode} before printing /{pattern}/:\n{Output}");
            try
            {
                await _newLine.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"no line matched /{pattern}/ within 60 s:\n{Output}");
            }
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
