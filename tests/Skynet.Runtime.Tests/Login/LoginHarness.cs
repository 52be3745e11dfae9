using System.Text;
using Skynet.Gate;
using Skynet.Login;
using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.Login;

/// <summary>
/// skynet's examples/login wired for tests: a login server (user password "password") and a msgserver named
/// "sample" whose agents echo requests. Hooks let a test hold a login or a request open, or make one fail.
/// </summary>
public sealed class LoginHarness : IAsyncDisposable
{
    LoginHarness(TestNode node) => T = node;

    public TestNode T { get; }
    public Address Login { get; private set; }
    public Address Gate { get; private set; }
    public int LoginPort { get; private set; }
    public int GatePort { get; private set; }
    public LoginServerOptions LoginOptions { get; private set; } = null!;
    public MsgServerOptions MsgOptions { get; private set; } = null!;

    /// <summary>When set, the login server's LoginHandler waits for it (for the 406 test).</summary>
    public TaskCompletionSource? HoldLogin { get; set; }

    /// <summary>Completed when a LoginHandler starts waiting on <see cref="HoldLogin"/>.</summary>
    public TaskCompletionSource LoginHeld { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When set, every AuthHandler waits for it (a handler that never returns, until released).</summary>
    public TaskCompletionSource? HoldAuth { get; set; }

    TaskCompletionSource? _holdRequests;

    /// <summary>When set, the next request an agent handles waits for it before echoing (for pending-response tests).</summary>
    public TaskCompletionSource? HoldRequests { get => Volatile.Read(ref _holdRequests); set => Volatile.Write(ref _holdRequests, value); }

    internal TaskCompletionSource? TakeHold() => Interlocked.Exchange(ref _holdRequests, null);

    /// <summary>Completed with each request content an agent handled.</summary>
    public List<string> Handled { get; } = [];

    /// <summary>Fires whenever an agent starts handling a request.</summary>
    public SemaphoreSlim RequestStarted { get; } = new(0);

    public static async Task<LoginHarness> Start(LoginProfile profile = LoginProfile.Compatible, Action<LoginServerOptions>? configureLogin = null,
        Action<MsgServerOptions>? configureMsg = null)
    {
        var h = new LoginHarness(new TestNode());
        h.LoginOptions = new LoginServerOptions { Host = "127.0.0.1", Port = 0, Instance = 2, Name = "login_master", Profile = profile };
        configureLogin?.Invoke(h.LoginOptions);
        h.Login = await TestNode.Within(h.T.Node.NewService(new TestLoginServer(h), h.LoginOptions));
        h.LoginPort = h.LoginOptions.Port;
        h.MsgOptions = new MsgServerOptions { ServerName = "sample", Profile = profile };
        configureMsg?.Invoke(h.MsgOptions);
        h.Gate = await TestNode.Within(h.T.Node.NewService(new TestGate(h, h.Login, h.MsgOptions)));
        h.GatePort = (int)(await TestNode.Within(h.T.Node.Call(h.Gate, "open", new GateOptions { Host = "127.0.0.1", Port = 0, NoDelay = true })))!;
        return h;
    }

    public LoginClient Client(LoginProfile? profile = null) => new(profile ?? LoginOptions.Profile) { Timeout = TestNode.Patience };

    public Task<LoginResult> LoginAs(string user = "hello", string password = "password", string server = "sample") =>
        TestNode.Within(Client().LoginAsync("127.0.0.1", LoginPort, user, server, password));

    public async Task<MsgClient> Connect() => await TestNode.Within(MsgClient.ConnectAsync("127.0.0.1", GatePort));

    internal void Record(string content)
    {
        lock (Handled) Handled.Add(content);
        RequestStarted.Release();
    }

    public ValueTask DisposeAsync() => T.DisposeAsync();
}

/// <summary>examples/login/logind.lua.</summary>
sealed class TestLoginServer(LoginHarness h) : LoginServer
{
    readonly Dictionary<string, Address> _servers = [];
    readonly Dictionary<string, (Address Gate, string SubId, string Server)> _online = [];

    protected override LoginServer CreateSlave() => new TestLoginServer(h);

    protected override async ValueTask<(string Server, string Uid)> AuthHandler(string token)
    {
        if (h.HoldAuth is { } hold) await hold.Task;
        if (!LoginToken.TryParse(token, out var user, out var server, out var password)) throw new FormatException("Invalid token");
        if (password != "password") throw new UnauthorizedAccessException("Invalid password");
        return (server, user);
    }

    protected override async ValueTask<string?> LoginHandler(string server, string uid, byte[] secret)
    {
        if (h.HoldLogin is { } hold)
        {
            h.LoginHeld.TrySetResult();
            await hold.Task;
        }
        if (!_servers.TryGetValue(server, out var gate)) throw new InvalidOperationException("Unknown server");
        if (_online.TryGetValue(uid, out var last)) await Call(last.Gate, "kick", uid, last.SubId);
        if (_online.ContainsKey(uid)) throw new InvalidOperationException($"user {uid} is already online");
        var subid = (string)(await Call(gate, "login", uid, secret))!;
#pragma warning disable SKY1001 // the login server runs one login per uid at a time (as skynet's loginserver)
        _online[uid] = (gate, subid, server);
#pragma warning restore SKY1001
        return subid;
    }

    protected override ValueTask<object?> CommandHandler(string command, object?[] args)
    {
        switch (command)
        {
            case "register_gate":
                _servers[(string)args[0]!] = (Address)args[1]!;
                return new((object?)null);
            case "logout":
                _online.Remove((string)args[0]!);
                return new((object?)null);
            case "slaves":
                return new((object?)Slaves);
            default:
                return base.CommandHandler(command, args);
        }
    }
}

/// <summary>examples/login/gated.lua.</summary>
sealed class TestGate(LoginHarness h, Address login, MsgServerOptions options) : MsgServer(options)
{
    readonly Dictionary<string, (string Username, Address Agent, string SubId)> _users = [];
    readonly Dictionary<string, Address> _agents = [];
    int _internalId;

    protected override async ValueTask RegisterHandler(string serverName) => await Call(login, "register_gate", serverName, Self);

    protected override async ValueTask<string> LoginHandler(string uid, byte[] secret)
    {
        if (_users.ContainsKey(uid)) throw new InvalidOperationException($"{uid} is already login");
        var id = (++_internalId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var username = Username(uid, id, ServerName);
        var agent = await Node.NewService(new TestAgent(h));
        await Call(agent, "login", uid, id, secret);
#pragma warning disable SKY1001 // the login server runs one login per uid at a time (as skynet's loginserver)
        _users[uid] = (username, agent, id);
#pragma warning restore SKY1001
        _agents[username] = agent;
        Login(username, secret);
        return id;
    }

    protected override async ValueTask LogoutHandler(string uid, string subid)
    {
        if (!_users.Remove(uid, out var u)) return;
        Logout(u.Username);
        _agents.Remove(u.Username);
        await Call(login, "logout", uid, subid);
    }

    protected override async ValueTask KickHandler(string uid, string subid)
    {
        if (!_users.TryGetValue(uid, out var u)) return;
        try { await Call(u.Agent, "logout"); }
        catch (CallFailedException) { }
    }

    protected override async ValueTask DisconnectHandler(string username)
    {
        if (_agents.TryGetValue(username, out var agent)) await Call(agent, "afk");
    }

    protected override async ValueTask<byte[]> RequestHandler(string username, byte[] payload) =>
        (byte[])(await Call(_agents[username], PType.Client, payload))!;

    protected override ValueTask<object?> OnCommand(string command, Address source, object?[] args) =>
        command switch
        {
            "cached" => new((object?)CachedResponses((string)args[0]!)),
            "pending" => new((object?)PendingResponses((string)args[0]!)),
            "ip" => new((object?)Ip((string)args[0]!)),
            _ => base.OnCommand(command, source, args),
        };
}

/// <summary>examples/login/msgagent.lua: echoes requests; "fail" throws.</summary>
sealed class TestAgent(LoginHarness h) : Service
{
    Address _gate;
    string _uid = "";
    string _subid = "";

    protected override ValueTask OnStart(object?[] args)
    {
        Dispatch(PType.Lua, async message =>
        {
            switch (message.Arg<string>(0))
            {
                case "login":
                    _gate = message.Source;
                    _uid = message.Arg<string>(1);
                    _subid = message.Arg<string>(2);
                    Ret();
                    break;
                case "logout":
                    await Call(_gate, "logout", _uid, _subid);
                    Ret();
                    Exit();
                    break;
                case "afk":
                    Ret();
                    break;
                default:
                    throw new InvalidOperationException($"unknown agent command {message.Arg<string>(0)}");
            }
        });
        Dispatch(PType.Client, async message =>
        {
            var content = Encoding.UTF8.GetString((byte[])message.Payload!);
            h.Record(content);
            if (h.TakeHold() is { } hold) await hold.Task;
            if (content == "fail") throw new InvalidOperationException("the agent refuses 'fail'");
            Ret(message.Payload);
        });
        return default;
    }
}
