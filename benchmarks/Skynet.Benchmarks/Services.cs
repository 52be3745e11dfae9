namespace Skynet.Benchmarks;

/// <summary>Counts the one-way messages it gets; a request (a call) reads the count.</summary>
internal sealed class SinkService : Service
{
    long _count;

    protected override ValueTask OnStart(object?[] args)
    {
        Dispatch(PType.Lua, m =>
        {
            if (m.Session == 0) _count++;
            else Ret(_count);
            return default;
        });
        return default;
    }
}

/// <summary>Replies to every request with its own payload.</summary>
internal sealed class EchoService : Service
{
    protected override ValueTask OnStart(object?[] args)
    {
        Dispatch(PType.Lua, m =>
        {
            Ret(m.Payload);
            return default;
        });
        return default;
    }
}

/// <summary>Makes <see cref="CallJob.Calls"/> sequential awaited calls to <see cref="CallJob.Target"/>, then replies with how many echoed correctly.</summary>
internal sealed class CallerService : Service
{
    static readonly object Payload = "ping";

    protected override ValueTask OnStart(object?[] args)
    {
        Dispatch(PType.Lua, async m =>
        {
            var job = (CallJob)m.Payload!;
            var echoed = 0;
            for (var i = 0; i < job.Calls; i++)
                if (ReferenceEquals(await Call(job.Target, PType.Lua, Payload), Payload)) echoed++;
            Ret(echoed);
        });
        return default;
    }
}

internal sealed record CallJob(Address Target, int Calls);

/// <summary>A service that does nothing but own a dispatch function, as the smallest real service would.</summary>
internal sealed class IdleService : Service
{
    protected override ValueTask OnStart(object?[] args)
    {
        Dispatch(PType.Lua, static _ => default);
        return default;
    }
}
