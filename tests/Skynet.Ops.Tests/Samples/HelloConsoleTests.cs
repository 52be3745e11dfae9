using Skynet.Ops.Tests.Console;

namespace Skynet.Ops.Tests.Samples;

/// <summary>
/// The sample contract: <c>dotnet run --project samples/Skynet.Samples.Hello -- --stay --Skynet:Console:Port=N</c> runs
/// the tour, stays up with the console, answers an operator, and exits 0 on SIGTERM.
/// </summary>
public class HelloConsoleTests
{
    [Fact]
    public async Task The_hello_node_stays_up_with_the_console_takes_a_hotfix_of_MyDb_Get_and_exits_0_on_SIGTERM()
    {
        await using var hello = SampleProcess.Start("Skynet.Samples.Hello", "--stay", "--Skynet:Console:Port=0", "--Skynet:Threads=2");
        var endPoint = await hello.ConsoleEndPoint();
        await hello.WaitFor("tour done; staying up");
        await using var console = await ConsoleClient.Connect(endPoint);

        var list = await console.Command("list");
        Assert.Equal("<CMD OK>", list[^1]);
        var mydb = list.Single(l => l.Contains("MyDb", StringComparison.Ordinal)).Split('\t')[0];
        var echo = list.Single(l => l.Contains("(Echo)", StringComparison.Ordinal)).Split('\t')[0];
        Assert.Matches(@"^:[0-9a-f]{8}\tcpu:", (await console.Command("stat"))[0]);
        Assert.Equal("<CMD OK>", (await console.Command("mem"))[^1]);
        Assert.Contains("type\tSkynet.Samples.Hello.MyDb", await console.Command($"info {mydb}"));
        Assert.Equal(["Invalid command, type help for command list", "<CMD Error>"], await console.Command("launch-missiles"));

        Assert.Equal(["skynet for .NET", "<CMD OK>"], await console.Command($"call {mydb} Get name"));
        var patch = Path.Combine(Path.GetTempPath(), $"mydb-get-{Guid.NewGuid():N}.cs");
        await File.WriteAllTextAsync(patch, """
            using Skynet.Samples.Hello;
            static class MyDbPatch
            {
                // _db is MyDb's private dictionary: the patch reads the running instance's state.
                static string? Get(MyDb self, string key) => $"hotfixed({self._db.Count} keys): {self._db.GetValueOrDefault(key) ?? "nothing"}";
            }
            """);
        try
        {
            var applied = await console.Command($"hotfix {mydb} {patch}");
            Assert.Equal("<CMD OK>", applied[^1]);
            var id = applied.Single(l => l.StartsWith("patch\t#", StringComparison.Ordinal))["patch\t#".Length..];
            Assert.Equal(["hotfixed(1 keys): skynet for .NET", "<CMD OK>"], await console.Command($"call {mydb} Get name"));
            Assert.Equal("<CMD OK>", (await console.Command($"rollback {mydb} {id}"))[^1]);
            Assert.Equal(["skynet for .NET", "<CMD OK>"], await console.Command($"call {mydb} Get name"));
        }
        finally
        {
            File.Delete(patch);
        }

        Assert.Equal("<CMD OK>", (await console.Command($"kill {echo}"))[^1]);
        Assert.DoesNotContain(await console.Command("list"), l => l.StartsWith(echo, StringComparison.Ordinal));

        Assert.Equal(0, await hello.Terminate());
        Assert.Contains("stopped", hello.Output);
    }
}
