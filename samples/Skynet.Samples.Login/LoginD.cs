using Skynet.Login;

namespace Skynet.Samples.Login;

/// <summary>skynet's examples/login/logind.lua: user "hello" (any user) with password "password".</summary>
public sealed class LoginD : LoginServer
{
    readonly Dictionary<string, Address> _serverList = [];
    readonly Dictionary<string, OnlineUser> _userOnline = [];

    sealed record OnlineUser(Address Address, string SubId, string Server);

    /// <summary>Checks the token <c>base64(user)@base64(server):base64(password)</c>.</summary>
    protected override ValueTask<(string Server, string Uid)> AuthHandler(string token)
    {
        if (!LoginToken.TryParse(token, out var user, out var server, out var password)) throw new FormatException("Invalid token");
        if (password != "password") throw new UnauthorizedAccessException("Invalid password");
        return new((server, user));
    }

    /// <summary>Kicks the user's previous session, then logs it in to the game server it asked for.</summary>
    protected override async ValueTask<string?> LoginHandler(string server, string uid, byte[] secret)
    {
        Console.WriteLine($"{uid}@{server} is login, secret is {Crypt.HexEncode(secret)}");
        if (!_serverList.TryGetValue(server, out var gameServer)) throw new InvalidOperationException("Unknown server");
        // only one can login, because multilogin is off
        if (_userOnline.TryGetValue(uid, out var last)) await Call(last.Address, "kick", uid, last.SubId);
        if (_userOnline.ContainsKey(uid)) throw new InvalidOperationException($"user {uid} is already online");
        var subid = (string)(await Call(gameServer, "login", uid, secret))!;
        // The login server runs one login per uid at a time (skynet's loginserver refuses a second one while the first
        // is in progress), so no other login of this uid can change _userOnline across the awaits above.
#pragma warning disable SKY1001
        _userOnline[uid] = new OnlineUser(gameServer, subid, server);
#pragma warning restore SKY1001
        return subid;
    }

    /// <summary><c>register_gate</c> (from gated) and <c>logout</c> (from gated, when an agent logs out).</summary>
    protected override ValueTask<object?> CommandHandler(string command, object?[] args)
    {
        switch (command)
        {
            case "register_gate":
                _serverList[(string)args[0]!] = (Address)args[1]!;
                return new((object?)null);
            case "logout":
                var uid = (string)args[0]!;
                if (_userOnline.Remove(uid, out var u)) Console.WriteLine($"{uid}@{u.Server} is logout");
                return new((object?)null);
            default:
                return base.CommandHandler(command, args);
        }
    }
}
