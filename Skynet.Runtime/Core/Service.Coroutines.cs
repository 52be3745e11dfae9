using Microsoft.Extensions.Logging;

namespace Skynet;

public abstract partial class Service
{
    // Work that runs after the current message, before the next one: forks and wake-ups (skynet's fork_queue
    // and wakeup_queue). Only touched inside the service's turn.
    Queue<Deferred>? _deferred;
    Dictionary<object, int>? _sleepTokens;

    readonly record struct Deferred(Func<ValueTask>? Work, SessionSource? Resume, bool Woken);

    /// <summary>
    /// Starts <paramref name="work"/> as a new coroutine after the current message is handled (skynet's <c>skynet.fork</c>).
    /// Forks run in the order they were made. Exceptions are logged.
    /// </summary>
    public void Fork(Func<ValueTask> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        EnsureInTurn();
        (_deferred ??= new()).Enqueue(new Deferred(work, null, false));
    }

    /// <summary>Starts a synchronous action as a coroutine after the current message.</summary>
    public void Fork(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        Fork(() => { work(); return default; });
    }

    /// <summary>Lets the other queued messages run, then continues (skynet's <c>skynet.yield</c>).</summary>
    public ValueTask Yield()
    {
        EnsureInTurn();
        var source = OpenSession(out var session);
        Enqueue(new Envelope((int)PType.Response, session, _handle, null));
        return source.AsTask();
    }

    /// <summary>
    /// Suspends this coroutine for <paramref name="delay"/> (skynet's <c>skynet.sleep</c>; time resolution 10 ms is
    /// not a limit here). <see cref="Wakeup"/> with the same <paramref name="token"/> ends it early.
    /// </summary>
    /// <returns>True when woken early (skynet's <c>"BREAK"</c>), false when the time passed.</returns>
    public ValueTask<bool> Sleep(TimeSpan delay, object? token = null)
    {
        EnsureInTurn();
        var source = OpenSession(out var session);
        if (token is not null) BindToken(token, session, source);
        if (delay <= TimeSpan.Zero) Enqueue(new Envelope((int)PType.Response, session, _handle, null));
        else Node.Timers.Schedule(this, delay, new Envelope((int)PType.Response, session, _handle, null));
        return source.AsBoolTask();
    }

    /// <summary>Suspends this coroutine until <see cref="Wakeup"/> is called with <paramref name="token"/> (skynet's <c>skynet.wait</c>).</summary>
    public ValueTask Wait(object token)
    {
        ArgumentNullException.ThrowIfNull(token);
        EnsureInTurn();
        var source = OpenSession(out var session);
        BindToken(token, session, source);
        return source.AsTask();
    }

    /// <summary>
    /// Wakes the coroutine sleeping or waiting on <paramref name="token"/> (skynet's <c>skynet.wakeup</c>). It resumes
    /// after the current coroutine yields.
    /// </summary>
    /// <returns>False when nothing waits on the token.</returns>
    public bool Wakeup(object token)
    {
        ArgumentNullException.ThrowIfNull(token);
        EnsureInTurn();
        if (_sleepTokens is null || !_sleepTokens.Remove(token, out var session)) return false;
        if (!_sessions!.Remove(session, out var source)) return false;
        source.Token = null;
        (_deferred ??= new()).Enqueue(new Deferred(null, source, true));
        return true;
    }

    /// <summary>Runs <paramref name="work"/> as a new coroutine after <paramref name="delay"/> (skynet's <c>skynet.timeout</c>).</summary>
    public void Timeout(TimeSpan delay, Func<ValueTask> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        EnsureInTurn();
        var source = OpenSession(out var session);
        source.Callback = work;
        if (delay <= TimeSpan.Zero) Enqueue(new Envelope((int)PType.Response, session, _handle, null));
        else Node.Timers.Schedule(this, delay, new Envelope((int)PType.Response, session, _handle, null));
    }

    /// <summary>Runs a synchronous <paramref name="work"/> after <paramref name="delay"/>.</summary>
    public void Timeout(TimeSpan delay, Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        Timeout(delay, () => { work(); return default; });
    }

    /// <summary>Centiseconds since the node started (skynet's <c>skynet.now()</c>).</summary>
    public long Now => Node.Now;

    /// <summary>Wall-clock seconds since the Unix epoch with centisecond precision (skynet's <c>skynet.time()</c>).</summary>
    public double Time => Node.Time;

    /// <summary>The node's start time in seconds since the Unix epoch (skynet's <c>skynet.starttime()</c>).</summary>
    public long StartTime => Node.StartTime;

    void BindToken(object token, int session, SessionSource source)
    {
        _sleepTokens ??= [];
        if (!_sleepTokens.TryAdd(token, session))
        {
            _sessions!.Remove(session);
            throw new InvalidOperationException($"Another coroutine of {Self} already sleeps or waits on this token; use one token per waiting coroutine.");
        }
        source.Token = token;
    }

    void ForgetToken(SessionSource source)
    {
        if (source.Token is { } token) _sleepTokens?.Remove(token);
    }

    void RunDeferred()
    {
        var queue = _deferred;
        if (queue is null) return;
        while (_state != Dead && queue.TryDequeue(out var item))
        {
            if (item.Work is { } work) _ = RunCoroutine(work);
            else item.Resume!.SetResult(null, item.Woken);
        }
    }

    /// <summary>Resumes a suspended coroutine after the current one yields (used by wake-ups and critical sections).</summary>
    internal void ResumeLater(SessionSource source)
    {
        if (t_current == this) (_deferred ??= new()).Enqueue(new Deferred(null, source, false));
        else Enqueue(new Envelope(ControlType.Invoke, 0, _handle, (Action<Service>)(_ => source.SetResult(null))));
    }

    /// <summary>Runs a coroutine to its end; a failure is logged, never thrown into the turn loop.</summary>
    async ValueTask RunCoroutine(Func<ValueTask> work, string what = "Coroutine")
    {
        _activeCoroutines++;
        try
        {
            await work();
        }
        catch (Exception ex)
        {
            Log(LogLevel.Error, $"{what} failed: {ex.GetType().Name}: {ex.Message}", ex);
        }
        finally
        {
            _activeCoroutines--;
        }
    }
}
