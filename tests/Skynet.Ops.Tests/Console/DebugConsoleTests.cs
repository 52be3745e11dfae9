using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Skynet.Debugging;
using Skynet.Ops.Tests.Hotfix;

namespace Skynet.Ops.Tests.Console;

public class DebugConsoleTests
{
    static async Task<(TestNode Test, DebugConsole Console)> StartConsole(DebugConsoleOptions? options = null)
    {
        var test = new TestNode();
        var console = await DebugConsole.Start(test.Node, options ?? Quiet()).WaitAsync(TestNode.Patience);
        return (test, console);
    }

    /// <summary>
    /// No greeting: an HTTP client slower than the greeting delay (the first request of a test process JIT-compiles
    /// the whole HTTP stack; a loaded machine) would read it ahead of its response.
    /// </summary>
    static DebugConsoleOptions Quiet() => new() { Port = 0, GreetingDelay = Timeout.InfiniteTimeSpan };

    [Fact]
    public async Task A_silent_TCP_client_is_greeted_as_skynet_greets_it_and_an_HTTP_client_is_not()
    {
        var (test, console) = await StartConsole(new DebugConsoleOptions { Port = 0, GreetingDelay = TimeSpan.Zero });
        await using var _ = test;
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(console.EndPoint!).WaitAsync(TestNode.Patience);
        using var reader = new StreamReader(tcp.GetStream(), Encoding.UTF8);
        Assert.Equal("Welcome to skynet console", await reader.ReadLineAsync().WaitAsync(TestNode.Patience));

        var (quiet, quietConsole) = await StartConsole(new DebugConsoleOptions { Port = 0, GreetingDelay = TimeSpan.FromDays(1) });
        await using var __ = quiet;
        var (status, body) = await ConsoleHttp.Get(quietConsole.EndPoint!, "/list");
        Assert.Equal(200, status);
        Assert.EndsWith("<CMD OK>\n", body);
    }

    [Fact]
    public void A_negative_greeting_delay_other_than_infinite_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() => new DebugConsoleOptions { Port = 0, GreetingDelay = TimeSpan.FromSeconds(-2) }.Validate());
        new DebugConsoleOptions { Port = 0, GreetingDelay = Timeout.InfiniteTimeSpan }.Validate();
    }

    [Fact]
    public async Task List_stat_mem_help_and_info_answer_in_skynet_s_shape()
    {
        var (test, console) = await StartConsole();
        await using var _ = test;
        var echo = await TestNode.Within(test.Node.NewService(new Echo()));
        var counter = await TestNode.Within(Snax.NewService<Counter>(test.Node));
        test.Node.Name(".echo", echo);
        await using var client = await ConsoleClient.Connect(console.EndPoint!);

        var list = await client.Command("list");
        Assert.Equal("<CMD OK>", list[^1]);
        Assert.Contains($"{echo}\tEcho .echo", list);
        Assert.Contains(list, l => l.StartsWith($"{counter.Target}\tCounter", StringComparison.Ordinal));
        Assert.All(list[..^1], l => Assert.Matches(@"^:[0-9a-f]{8}\t", l));

        var stat = await client.Command("stat");
        Assert.Matches(@"^:[0-9a-f]{8}\tcpu:[0-9.]+\tmessage:\d+\tmqlen:\d+\ttask:\d+$", stat[0]);
        Assert.Equal("<CMD OK>", stat[^1]);

        var mem = await client.Command("mem");
        Assert.Contains(mem, l => Regex.IsMatch(l, @"^heap\t\s*\d+\s+[0-9.]+ Mb$"));
        Assert.Equal("<CMD OK>", (await client.Command("gc"))[^1]);

        var help = await client.Command("help");
        Assert.Contains(help, l => l.StartsWith("hotfix\t", StringComparison.Ordinal));
        Assert.Contains(help, l => l.StartsWith("netstat\t", StringComparison.Ordinal));

        var info = await client.Command($"info {counter.Target}");
        Assert.Contains($"address\t{counter.Target}", info);
        Assert.Contains(info, l => l.StartsWith("type\tSkynet.Ops.Tests.Hotfix.Counter", StringComparison.Ordinal));
        var custom = await client.Command("info .echo a b");
        Assert.Contains("args\ta b", custom);
        Assert.Equal("<CMD OK>", custom[^1]);
    }

    [Fact]
    public async Task Bad_input_gets_CMD_Error_and_never_affects_the_node()
    {
        var (test, console) = await StartConsole(new DebugConsoleOptions { Port = 0, MaxLineLength = 1024, GreetingDelay = Timeout.InfiniteTimeSpan });
        await using var _ = test;
        var echo = await TestNode.Within(test.Node.NewService(new Echo()));
        await using var client = await ConsoleClient.Connect(console.EndPoint!);

        Assert.Equal(["Invalid command, type help for command list", "<CMD Error>"], await client.Command("frobnicate now"));
        Assert.Equal("<CMD Error>", (await client.Command("info :zz"))[^1]);
        Assert.Equal("<CMD Error>", (await client.Command("info :00ffffff"))[^1]);
        Assert.Equal("<CMD Error>", (await client.Command("kill"))[^1]);
        Assert.Equal("<CMD Error>", (await client.Command("call :00ffffff 1"))[^1]);
        Assert.Equal("<CMD Error>", (await client.Command("call " + echo + " \"unterminated"))[^1]);
        Assert.Equal("<CMD Error>", (await client.Command("trace " + echo + " maybe"))[^1]);
        Assert.Equal("<CMD Error>", (await client.Command("hotfix " + echo + " /no/such/file.cs"))[^1]);
        var garbage = new byte[300];
        new Random(7).NextBytes(garbage);
        for (var i = 0; i < garbage.Length; i++) if (garbage[i] == '\n') garbage[i] = 0;
        await client.SendRaw([.. garbage, (byte)'\n']);
        Assert.Equal("<CMD Error>", (await client.ReadReply())[^1]);
        Assert.Equal("<CMD OK>", (await client.Command("list"))[^1]); // the same connection still works

        await using var flooder = await ConsoleClient.Connect(console.EndPoint!);
        await flooder.SendRaw(Encoding.ASCII.GetBytes(new string('x', 5000)));
        var refused = await flooder.ReadReply();
        Assert.Equal(["line too long (over 1024 bytes)", "<CMD Error>"], refused);
        Assert.True(await flooder.IsClosed());

        await using var after = await ConsoleClient.Connect(console.EndPoint!);
        Assert.Equal("<CMD OK>", (await after.Command("list"))[^1]);
        Assert.Equal("echo:String=still", await TestNode.Within(test.Node.Call(echo, "still")));
    }

    [Fact]
    public async Task Kill_exit_ping_task_call_send_and_getenv_act_on_services()
    {
        var (test, console) = await StartConsole();
        await using var _ = test;
        var echo = await TestNode.Within(test.Node.NewService(new Echo()));
        var victim = await TestNode.Within(test.Node.NewService(new Echo()));
        var leaver = await TestNode.Within(test.Node.NewService(new Echo()));
        var counter = await TestNode.Within(Snax.NewService<Counter>(test.Node));
        await using var client = await ConsoleClient.Connect(console.EndPoint!);

        Assert.Equal(["echo:Int32=1,String=two,Boolean=True,Double=2.5,String=a b", "<CMD OK>"], await client.Command($"call {echo} 1 two true 2.5 \"a b\""));
        Assert.Equal(["<CMD OK>"], await client.Command($"send {echo} x"));
        Assert.Contains("sends\t1", await client.Command($"info {echo}"));
        Assert.Equal(["<CMD OK>"], await client.Command($"send {counter.Target} Add 5"));
        Assert.Equal(["5", "<CMD OK>"], await client.Command($"call {counter.Target} Get"));
        Assert.Equal(["<CMD Error>"], (await client.Command($"call {counter.Target} Nope"))[^1..]);

        Assert.Matches(@"^[0-9.]+$", (await client.Command($"ping {echo}"))[0]);
        Assert.Equal(["sessions\t0", "task\t0", "<CMD OK>"], await client.Command($"task {echo}"));
        Assert.Equal("<CMD OK>", (await client.Command($"uniqtask {echo}"))[^1]);

        Assert.Equal([$"{victim}\tEcho", "<CMD OK>"], await client.Command($"kill {victim}"));
        await TestNode.Within(test.Node.WhenGone(victim));
        Assert.Equal(["<CMD OK>"], await client.Command($"exit {leaver}"));
        await TestNode.Within(test.Node.WhenGone(leaver));
        Assert.DoesNotContain(await client.Command("list"), l => l.StartsWith(victim.ToString(), StringComparison.Ordinal));

        Assert.Equal(["<CMD OK>"], await client.Command("setenv color blue"));
        Assert.Equal(["color\tblue", "<CMD OK>"], await client.Command("getenv color"));
        Assert.Equal("<CMD OK>", (await client.Command("netstat"))[^1]);
        Assert.Equal(["<CMD OK>"], await client.Command($"signal {echo} 3"));
        Assert.Contains("signal\t3", await client.Command($"info {echo}"));
        Assert.Equal("<CMD Error>", (await client.Command($"signal {counter.Target}"))[^1]);
    }

    [Fact]
    public async Task Netstat_lists_every_socket_with_owner_addresses_and_bytes()
    {
        var (test, console) = await StartConsole();
        await using var _ = test;
        var listener = new Listener();
        var listenerAddress = await TestNode.Within(test.Node.NewService(listener));
        await using var client = await ConsoleClient.Connect(console.EndPoint!);
        Assert.Equal("<CMD OK>", (await client.Command("ping " + listenerAddress))[^1]);

        var netstat = await client.Command("netstat");

        Assert.Equal("<CMD OK>", netstat[^1]);
        var rows = netstat[..^1].Select(l => l.Split('\t')).ToList();
        Assert.All(rows, r => Assert.Matches(@"^\d+$", r[0]));
        var fields = rows.Select(r => r[1..].ToDictionary(f => f[..f.IndexOf(':')], f => f[(f.IndexOf(':') + 1)..])).ToList();
        Assert.All(fields, f => Assert.Subset(f.Keys.ToHashSet(), new HashSet<string> { "address", "age", "id", "state", "type" }));

        var listen = Assert.Single(fields, f => f["address"] == listenerAddress.ToString());
        Assert.Equal(("LISTEN", "listening", listener.ListenId.ToString(CultureInfo.InvariantCulture), listener.EndPoint!.ToString()),
            (listen["type"], listen["state"], listen["id"], listen["sock"]));
        Assert.Single(fields, f => f["type"] == "LISTEN" && f["address"] == console.Self.ToString() && f["sock"] == console.EndPoint!.ToString());

        // The console's own connection to this client: its peer is our end, it has read the two command lines.
        var connection = Assert.Single(fields, f => f.GetValueOrDefault("peer") == $"127.0.0.1:{client.LocalEndPoint.Port}");
        Assert.Equal(("TCP", console.Self.ToString()), (connection["type"], connection["address"]));
        Assert.True(int.Parse(connection["read"], CultureInfo.InvariantCulture) >= "ping :00000000\nnetstat\n".Length, connection["read"]);
        Assert.True(int.Parse(connection["write"], CultureInfo.InvariantCulture) > 0, connection["write"]);
        Assert.Matches(@"^[0-9.]+s$", connection["age"]);

        // The same over HTTP.
        var (status, page) = await ConsoleHttp.Get(console.EndPoint!, "/netstat");
        Assert.Equal(200, status);
        Assert.Contains($"address:{listenerAddress}", page);
        Assert.Contains("<CMD OK>", page);
    }

    [Fact]
    public async Task Logon_dumps_messages_to_a_file_and_trace_and_profile_toggle()
    {
        var directory = Path.Combine(Path.GetTempPath(), "skynet-logon-" + Guid.NewGuid().ToString("N"));
        var (test, console) = await StartConsole(new DebugConsoleOptions { Port = 0, LogPath = directory, GreetingDelay = Timeout.InfiniteTimeSpan });
        await using var _ = test;
        var echo = await TestNode.Within(test.Node.NewService(new Plain()));
        await using var client = await ConsoleClient.Connect(console.EndPoint!);
        try
        {
            var on = await client.Command($"logon {echo}");
            Assert.Equal(Path.Combine(directory, $"{echo.Value:x8}.log"), on[0]);
            await TestNode.Within(test.Node.Call(echo, "logged-word"));
            Assert.Equal(["<CMD OK>"], await client.Command($"logoff {echo}"));
            Assert.Contains("logged-word", await File.ReadAllTextAsync(on[0]));
            Assert.Equal("<CMD Error>", (await client.Command($"logoff {echo}"))[^1]);

            Assert.Equal([$"trace {echo} on", "<CMD OK>"], await client.Command($"trace {echo} on"));
            Assert.Contains("trace\ton", await client.Command($"info {echo}"));
            Assert.Equal([$"trace {echo} off", "<CMD OK>"], await client.Command($"trace {echo} off"));

            Assert.Equal(["profile is on", "<CMD OK>"], await client.Command("profile on"));
            await TestNode.Within(test.Node.Call(echo, "measured"));
            Assert.Equal(["profile is off", "<CMD OK>"], await client.Command("profile off"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Hotfix_hotfixes_rollback_and_inject_run_C_sharp_files_inside_services()
    {
        var (test, console) = await StartConsole();
        await using var _ = test;
        var counter = await TestNode.Within(Snax.NewService<Counter>(test.Node));
        var echo = await TestNode.Within(test.Node.NewService(new Echo()));
        var directory = Directory.CreateTempSubdirectory("skynet-console-");
        var patch = Path.Combine(directory.FullName, "patch.cs");
        var inject = Path.Combine(directory.FullName, "inject.cs");
        var broken = Path.Combine(directory.FullName, "broken.cs");
        await File.WriteAllTextAsync(patch, """
            using Skynet.Ops.Tests.Hotfix;
            static class Patch
            {
                static int Get(Counter self) => self._count + 1000;
                static object Hotfix(Counter self, int start) { self._count = start; return "set to " + start; }
            }
            """);
        await File.WriteAllTextAsync(inject, """
            using Skynet.Ops.Tests.Console;
            static class Snippet { static object Inject(Echo self, string word) => $"sends={self._sends} word={word} inside={Skynet.Service.Current == self}"; }
            """);
        await File.WriteAllTextAsync(broken, "static class Broken { static int X() => nope; }");
        await using var client = await ConsoleClient.Connect(console.EndPoint!);
        try
        {
            var applied = await client.Command($"hotfix {counter.Target} {patch} 7");
            Assert.Equal("<CMD OK>", applied[^1]);
            Assert.Contains("result\tset to 7", applied);
            var id = applied.Single(l => l.StartsWith("patch\t#", StringComparison.Ordinal))["patch\t#".Length..];
            Assert.Equal(["1007", "<CMD OK>"], await client.Command($"call {counter.Target} Get"));
            Assert.StartsWith($"#{id}\t", (await client.Command($"hotfixes {counter.Target}"))[0]);

            Assert.Equal("<CMD OK>", (await client.Command($"rollback {counter.Target} {id}"))[^1]);
            Assert.Equal(["7", "<CMD OK>"], await client.Command($"call {counter.Target} Get"));

            var failed = await client.Command($"hotfix {counter.Target} {broken}");
            Assert.Equal("<CMD Error>", failed[^1]);
            Assert.Contains(failed, l => l.Contains("CS0103", StringComparison.Ordinal));

            Assert.Equal(["sends=0 word=hi inside=True", "<CMD OK>"], await client.Command($"inject {echo} {inject} hi"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Http_GET_answers_the_commands_and_serves_the_page()
    {
        var (test, console) = await StartConsole();
        await using var _ = test;
        var echo = await TestNode.Within(test.Node.NewService(new Plain()));

        var (status, body) = await ConsoleHttp.Get(console.EndPoint!, "/list");
        Assert.Equal(200, status);
        Assert.Contains($"{echo}\tPlain\n", body);
        Assert.EndsWith("<CMD OK>\n", body);

        (status, body) = await ConsoleHttp.Get(console.EndPoint!, $"/info/{echo}");
        Assert.Equal(200, status);
        Assert.Contains($"address\t{echo}", body);

        (status, body) = await ConsoleHttp.Get(console.EndPoint!, "/nonsense");
        Assert.Equal(400, status);
        Assert.EndsWith("<CMD Error>\n", body);

        using (var http = new HttpClient { Timeout = TestNode.Patience })
        using (var posted = await http.PostAsync($"http://{console.EndPoint}/", new StringContent($"info {echo}")))
        {
            Assert.Equal(200, (int)posted.StatusCode);
            Assert.Contains($"address\t{echo}", await posted.Content.ReadAsStringAsync());
        }

        (status, body) = await ConsoleHttp.Get(console.EndPoint!, "/");
        Assert.Equal(200, status);
        Assert.Contains("http-equiv=\"refresh\"", body);
        Assert.Contains($"<td>{echo}</td><td>Plain</td>", body);
    }

    [Fact]
    public async Task A_token_is_required_beyond_loopback_and_checked_when_set()
    {
        Assert.Throws<InvalidOperationException>(() => new DebugConsole(new DebugConsoleOptions { Port = 0, Address = "0.0.0.0" }));
        var (test, console) = await StartConsole(new DebugConsoleOptions { Port = 0, Token = "s3cret", GreetingDelay = Timeout.InfiniteTimeSpan });
        await using var _ = test;
        await using var client = await ConsoleClient.Connect(console.EndPoint!);

        Assert.Equal(["authenticate first: auth <token>", "<CMD Error>"], await client.Command("list"));
        Assert.Equal("<CMD Error>", (await client.Command("auth wrong"))[^1]);
        Assert.Equal(["authenticated", "<CMD OK>"], await client.Command("auth s3cret"));
        Assert.Equal("<CMD OK>", (await client.Command("list"))[^1]);

        Assert.Equal(401, (await ConsoleHttp.Get(console.EndPoint!, "/list")).Status);
        Assert.Equal(200, (await ConsoleHttp.Get(console.EndPoint!, "/list", "Bearer s3cret")).Status);
        Assert.Equal(200, (await ConsoleHttp.Get(console.EndPoint!, "/list?token=s3cret")).Status);
    }
}
