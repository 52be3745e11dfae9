using System.Diagnostics;

namespace Skynet.Ops.Tests.Diagnostics;

/// <summary>Answers "ok" or throws, as told.</summary>
public sealed class Callee : Service
{
    protected override ValueTask OnStart(object?[] args)
    {
        Dispatch(PType.Lua, message =>
        {
            if (message.Arg<string>(0) == "fail") throw new InvalidOperationException("told to fail");
            Ret("ok");
            return default;
        });
        return default;
    }
}

/// <summary>Calls the callee it is given; with "traced", inside an activity of its own, and returns that activity's ids.</summary>
public sealed class Caller : Service
{
    public static readonly ActivitySource TestSource = new("Skynet.Ops.Tests");

    protected override ValueTask OnStart(object?[] args)
    {
        Dispatch(PType.Lua, async message =>
        {
            var callee = message.Arg<Address>(0);
            var what = message.Arg<string>(1);
            using var root = what == "traced" ? TestSource.StartActivity("handle request") : null;
            try
            {
                await Call(callee, what == "traced" ? "ok" : what);
                Ret(root is null ? "ok" : $"{root.TraceId} {root.SpanId}");
            }
            catch (CallFailedException ex)
            {
                Ret("failed:" + ex.Failure);
            }
        });
        return default;
    }
}

/// <summary>Forwards every request to the service given at start and returns its answer (the middle of a call chain).</summary>
public sealed class Relay : Service
{
    protected override ValueTask OnStart(object?[] args)
    {
        var next = (Address)args[0]!;
        Dispatch(PType.Lua, async message => Ret(await Call(next, message.Args)));
        return default;
    }
}
