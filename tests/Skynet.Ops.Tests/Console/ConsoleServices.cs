using Skynet.Debugging;

namespace Skynet.Ops.Tests.Console;

/// <summary>A raw lua-protocol service: answers calls with "echo:" and its arguments, counts sends.</summary>
public sealed class Echo : Service, IDebugInfo, IDebugSignal
{
    int _sends;
    volatile int _lastSignal = -1;

    protected override ValueTask OnStart(object?[] args)
    {
        Dispatch(PType.Lua, message =>
        {
            if (message.IsRequest) Ret("echo:" + string.Join(",", message.Args.Select(a => $"{a?.GetType().Name}={a}")));
            else _sends++;
            return default;
        });
        return default;
    }

    public object? DebugInfo(IReadOnlyList<string> args) =>
        new Dictionary<string, object?> { ["sends"] = _sends, ["args"] = string.Join(" ", args), ["signal"] = _lastSignal };

    public void OnSignal(int signal) => _lastSignal = signal;
}

/// <summary>A raw service with nothing of its own for the console to show (info prints the runtime's view).</summary>
public sealed class Plain : Service
{
    protected override ValueTask OnStart(object?[] args)
    {
        Dispatch(PType.Lua, message => { Ret(message.Args[0]); return default; });
        return default;
    }
}

/// <summary>A service that opens a listener through the public socket driver, so netstat has a socket of another owner.</summary>
public sealed class Listener : Service
{
    public int ListenId { get; private set; }

    public System.Net.IPEndPoint? EndPoint { get; private set; }

    protected override ValueTask OnStart(object?[] args)
    {
        ListenId = SocketDriver.Listen("127.0.0.1", 0);
        EndPoint = SocketDriver.LocalEndPoint(ListenId);
        return default;
    }
}
