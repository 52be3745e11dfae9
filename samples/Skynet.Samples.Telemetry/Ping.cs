using System.Diagnostics;
using Skynet;

namespace Skynet.Samples.Telemetry;

/// <summary>Bootstrap: calls pong a few times inside one activity of its own (a trace with its calls as children), then stops the node.</summary>
public sealed class Ping : Service
{
    /// <summary>The sample's own activity source.</summary>
    public const string SourceName = "Skynet.Samples.Telemetry";

    static readonly ActivitySource s_source = new(SourceName);

    protected override ValueTask OnStart(object?[] args)
    {
        Fork(Run);
        return default;
    }

    async ValueTask Run()
    {
        var pong = await NewService("pong");
        using (var round = s_source.StartActivity("ping round"))
        {
            for (var i = 0; i < 5; i++) Log($"ping {i} -> {await Call(pong, "ping", i)}");
            try { await Call(pong, "fail"); }
            catch (CallFailedException ex) { Log($"a failing call, counted by kind: {ex.Failure}"); }
        }
        Log("done; stopping the node (the exporters flush on the way out)");
        Node.Shutdown();
    }
}

/// <summary>Answers "pong n"; "fail" throws.</summary>
public sealed class Pong : Service
{
    protected override ValueTask OnStart(object?[] args)
    {
        Dispatch(PType.Lua, message =>
        {
            if (message.Arg<string>(0) == "fail") throw new InvalidOperationException("pong was told to fail");
            Ret($"pong {message.Args[1]}");
            return default;
        });
        return default;
    }
}
