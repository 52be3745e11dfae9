using System.Diagnostics;
using Skynet.Debugging;

namespace Skynet.Ops.Tests.Console;

/// <summary>The console's HTML page as a browser renders it: headless Chromium loads <c>GET /</c> and dumps the DOM.</summary>
public class ConsolePageBrowserTests
{
    [Fact]
    public async Task Headless_Chromium_renders_the_service_table_of_the_console_page()
    {
        var chromium = await FindChromium();
        await using var test = new TestNode(profile: true);
        var console = await DebugConsole.Start(test.Node, new DebugConsoleOptions { Port = 0, GreetingDelay = Timeout.InfiniteTimeSpan }).WaitAsync(TestNode.Patience);
        var plain = await TestNode.Within(test.Node.NewService(new Plain()));
        await TestNode.Within(test.Node.Call(plain, "warm"));
        var profile = Directory.CreateTempSubdirectory("skynet-chromium-");
        try
        {
            var (exit, dom, errors) = await Run(chromium,
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
                "--user-data-dir=" + profile.FullName, "--dump-dom", $"http://{console.EndPoint}/");

            Assert.True(exit == 0, $"chromium exited with {exit}: {errors}");
            Assert.Contains("<table id=\"services\">", dom);
            Assert.Contains($"<td>{plain}</td><td>Plain</td>", dom);
            Assert.Contains($"<td>{console.Self}</td><td>DebugConsole</td>", dom);
            Assert.Contains("profile on", dom);
            Assert.Contains("http-equiv=\"refresh\"", dom);
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    static async Task<string> FindChromium()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Console", "ensure-chromium.sh");
        var (exit, output, errors) = await Run("/bin/sh", script);
        Assert.True(exit == 0, "Chromium is needed for this test and could not be found or installed: " + errors);
        return output.Trim();
    }

    static async Task<(int Exit, string Output, string Errors)> Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(10));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await output, await errors);
    }
}
