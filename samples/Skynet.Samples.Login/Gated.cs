using System.Globalization;
using Skynet.Login;

namespace Skynet.Samples.Login;

/// <summary>skynet's examples/login/gated.lua: a msgserver with one <see cref="MsgAgent"/> per logged-in user.</summary>
public sealed class Gated(Address loginService, MsgServerOptions options) : MsgServer(options)
{
    readonly Dictionary<string, GateUser> _users = [];
    readonly Dictionary<string, GateUser> _usernameMap = [];
    int _internalId;

    sealed record GateUser(string Username, Address Agent, string Uid, string SubId);

    /// <summary>Called by the login server; the login server disallows multilogin, so this is never re-entered for one uid.</summary>
    protected override async ValueTask<string> LoginHandler(string uid, byte[] secret)
    {
        if (_users.ContainsKey(uid)) throw new InvalidOperationException($"{uid} is already login");
        var id = (++_internalId).ToString(CultureInfo.InvariantCulture);
        var username = Username(uid, id, ServerName);
        // you can use a pool to alloc new agent
        var agent = await Node.NewService(new MsgAgent());
        await Call(agent, "login", uid, id, secret);
        var u = new GateUser(username, agent, uid, id);
        // Not re-entered for one uid (see above), so the ContainsKey check still holds after the awaits.
#pragma warning disable SKY1001
        _users[uid] = u;
#pragma warning restore SKY1001
        _usernameMap[username] = u;
        Login(username, secret);
        return id; // you should return unique subid
    }

    /// <summary>Called by the agent.</summary>
    protected override async ValueTask LogoutHandler(string uid, string subid)
    {
        if (!_users.Remove(uid, out var u)) return;
        Logout(u.Username);
        _usernameMap.Remove(u.Username);
        await Call(loginService, "logout", uid, subid);
    }

    /// <summary>Called by the login server.</summary>
    protected override async ValueTask KickHandler(string uid, string subid)
    {
        if (!_users.TryGetValue(uid, out var u)) return;
        // NOTICE: logout makes the agent exit, so a failed call is fine
        try { await Call(u.Agent, "logout"); }
        catch (CallFailedException) { }
    }

    /// <summary>Called when a connection breaks: the user may come back.</summary>
    protected override async ValueTask DisconnectHandler(string username)
    {
        if (_usernameMap.TryGetValue(username, out var u)) await Call(u.Agent, "afk");
    }

    /// <summary>Each client request goes to the user's agent as a <see cref="PType.Client"/> call.</summary>
    protected override async ValueTask<byte[]> RequestHandler(string username, byte[] payload) =>
        (byte[])(await Call(_usernameMap[username].Agent, PType.Client, payload))!;

    /// <summary>Tells the login server where this game server is.</summary>
    protected override async ValueTask RegisterHandler(string serverName) =>
        await Call(loginService, "register_gate", serverName, Self);
}
