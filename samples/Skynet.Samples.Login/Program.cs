// skynet's examples/login as a .NET node: a login server on 127.0.0.1:8001 (any user, password "password") and a
// msgserver named "sample" on 127.0.0.1:8888 whose agents echo each request after 100 ms. skynet's own
// examples/login/client.lua logs in against it unchanged.
//
// Run:    dotnet run --project samples/Skynet.Samples.Login
// Client: dotnet run --project samples/Skynet.Samples.Login -- --client   (the C# twin of client.lua, against a running node)
// Flags:  --login-port N (8001), --gate-port N (8888), --exit-after-seconds S (stop by itself, for smoke tests),
//         --self-test (start the node, run the client flow against it, exit 0 on success).
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Skynet;
using Skynet.Gate;
using Skynet.Login;
using Skynet.Samples.Login;

var loginPort = 8001;
var gatePort = 8888;
var exitAfter = TimeSpan.Zero;
var client = false;
var selfTest = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--login-port" when i + 1 < args.Length:
            loginPort = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--gate-port" when i + 1 < args.Length:
            gatePort = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--exit-after-seconds" when i + 1 < args.Length:
            exitAfter = TimeSpan.FromSeconds(double.Parse(args[++i], CultureInfo.InvariantCulture));
            break;
        case "--client":
            client = true;
            break;
        case "--self-test":
            selfTest = true;
            break;
        default:
            Console.Error.WriteLine("usage: Skynet.Samples.Login [--login-port N] [--gate-port N] [--exit-after-seconds S] [--client | --self-test]");
            return 2;
    }
}

if (client) return await ClientLua.Run(loginPort, gatePort);

using var logging = LoggerFactory.Create(builder => builder.AddSimpleConsole(console => console.SingleLine = true));
var node = new SkynetNode(new SkynetOptions { LoggerFactory = logging });
node.Start();
try
{
    // examples/login/main.lua
    var loginOptions = new LoginServerOptions { Host = "127.0.0.1", Port = selfTest ? 0 : loginPort, MultiLogin = false, Name = "login_master" };
    var loginServer = await node.NewService(new LoginD(), loginOptions);
    var gate = await node.NewService(new Gated(loginServer, new MsgServerOptions { ServerName = "sample" }));
    var bound = await node.Call(gate, "open", new GateOptions { Host = "127.0.0.1", Port = selfTest ? 0 : gatePort, MaxClient = 64 });
    Console.WriteLine($"login server on 127.0.0.1:{loginOptions.Port}, msgserver 'sample' on 127.0.0.1:{bound}");
    if (selfTest) return await ClientLua.Run(loginOptions.Port, (int)bound!);

    using var stop = CancellationTokenSource.CreateLinkedTokenSource(node.ShutdownRequested);
    Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
    if (exitAfter > TimeSpan.Zero) stop.CancelAfter(exitAfter);
    try { await Task.Delay(Timeout.Infinite, stop.Token); }
    catch (OperationCanceledException) { }
}
finally
{
    await node.StopAsync();
}
return 0;

/// <summary>examples/login/client.lua with <see cref="LoginClient"/> and <see cref="MsgClient"/>, printing the same lines.</summary>
static class ClientLua
{
    public static async Task<int> Run(int loginPort, int gatePort)
    {
        var login = await new LoginClient().LoginAsync("127.0.0.1", loginPort, "hello", "sample", "password");
        Console.WriteLine($"sceret is \t{Crypt.HexEncode(login.Secret)}");
        Console.WriteLine(login.StatusLine);
        if (!login.IsSuccess) return 1;
        Console.WriteLine($"login ok, subid=\t{login.SubId}");

        Console.WriteLine("connect");
        await using (var first = await MsgClient.ConnectAsync("127.0.0.1", gatePort))
        {
            Console.WriteLine(await first.HandshakeAsync("hello", "sample", login.SubId!, login.Secret, 1));
            await first.SendRequestAsync("echo"u8.ToArray(), 0);
            Console.WriteLine("===>\techo\t0");
            Console.WriteLine("disconnect");
        }
        Console.WriteLine("connect again");
        await using var second = await MsgClient.ConnectAsync("127.0.0.1", gatePort);
        Console.WriteLine(await second.HandshakeAsync("hello", "sample", login.SubId!, login.Secret, 2));
        await second.SendRequestAsync("fake"u8.ToArray(), 0);
        Console.WriteLine("===>\tfake\t0");
        await second.SendRequestAsync("again"u8.ToArray(), 1);
        Console.WriteLine("===>\tagain\t1");
        var ok = true;
        foreach (var expected in new[] { ("echo", 0u), ("again", 1u) })
        {
            var r = await second.ReadResponseAsync();
            Console.WriteLine($"<===\t{(r.Ok ? "true" : "false")}\t{Encoding.UTF8.GetString(r.Content)}\t{r.Session}");
            ok &= r.Ok && Encoding.UTF8.GetString(r.Content) == expected.Item1 && r.Session == expected.Item2;
        }
        Console.WriteLine("disconnect");
        return ok ? 0 : 1;
    }
}
