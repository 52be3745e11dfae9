using Microsoft.Extensions.Logging;

namespace Skynet;

public abstract partial class Service
{
    // Work that runs after the current coroutine yields, before the next message: wake-ups first (skynet's
    // wakeup_queue, drained whenever a coroutine suspends), then forks (skynet's fork_queue, drained after the
    // message). Only touched inside the service's turn.
    Queue<Func<ValueTask>>? _forks;
    Queue<Wake>? _wakeups;
    Dictionary<object, int>? _sleepTokens;

    /// <summary>A queued wake-up: a token to look up when it runs (<see cref="Wakeup"/>), or a waiter to resume (critical sections).</summary>
    readonly record struct Wake(object? Token, SessionSource? Waiter);

    /// <summary>
    /// Starts <paramref name="work"/> as a new coroutine after the current message is handled (skynet's <c>skynet.fork</c>).
    /// Forks run in the order they were made. Exceptions are logged.
    /// </summary>
    public void Fork(Func<ValueTask> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        EnsureInTurn();
        (_forks ??= new()).Enqueue(work);
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
        else if (token is null) Node.Timers.Schedule(this, delay, new Envelope((int)PType.Response, session, _handle, null));
        else source.Timer = Node.Timers.Schedule(this, delay, new Envelope((int)PType.Response, session, _handle, null)); // a wake-up cancels it
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
    /// when the current coroutine yields, before the forks the current message made. Like skynet, each call queues
    /// the token: two calls before the waiter runs wake two rounds of a <c>Wait</c> loop.
    /// </summary>
    /// <returns>False when nothing waits on the token.</returns>
    public bool Wakeup(object token)
    {
        ArgumentNullException.ThrowIfNull(token);
        EnsureInTurn();
        if (_sleepTokens is null || !_sleepTokens.ContainsKey(token)) return false;
        (_wakeups ??= new()).Enqueue(new Wake(token, null));
        return true;
    }

    /// <summary>Runs <paramref name="work"/> as a new coroutine after <paramref name="delay"/> (skynet's <c>skynet.timeout(ti, f)</c>).</summary>
    /// <remarks>
    /// Named <c>SetTimeout</c>, not skynet's <c>Timeout</c>: a member called <c>Timeout</c> on every service would hide
    /// <see cref="System.Threading.Timeout"/>, so <c>Timeout.InfiniteTimeSpan</c> would not compile inside a service.
    /// </remarks>
    public void SetTimeout(TimeSpan delay, Func<ValueTask> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        EnsureInTurn();
        var source = OpenSession(out var session);
        source.Callback = work;
        if (delay <= TimeSpan.Zero) Enqueue(new Envelope((int)PType.Response, session, _handle, null));
        else Node.Timers.Schedule(this, delay, new Envelope((int)PType.Response, session, _handle, null));
    }

    /// <summary>Runs a synchronous <paramref name="work"/> after <paramref name="delay"/> (skynet's <c>skynet.timeout(ti, f)</c>).</summary>
    public void SetTimeout(TimeSpan delay, Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        SetTimeout(delay, () => { work(); return default; });
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
        while (_state != Dead)
        {
            if (_wakeups is { Count: > 0 } wakeups) RunWake(wakeups.Dequeue());
            else if (_forks is { Count: > 0 } forks) _ = RunCoroutine(forks.Dequeue());
            else return;
        }
    }

    void RunWake(Wake wake)
    {
        if (wake.Waiter is { } waiter)
        {
            waiter.SetResult(null);
            return;
        }
        // Looked up now, not at Wakeup: the token may have been re-armed by a Wait loop the previous wake-up resumed.
        if (_sleepTokens!.Remove(wake.Token!, out var session) && _sessions!.Remove(session, out var source))
        {
            source.Token = null;
            source.CancelTimer();
            source.SetResult(null, true);
        }
    }

    /// <summary>Resumes a suspended coroutine after the current one yields (critical sections hand over this way).</summary>
    internal void ResumeLater(SessionSource source)
    {
        if (Coroutine.Running?.Service == this) (_wakeups ??= new()).Enqueue(new Wake(null, source));
        else Enqueue(new Envelope(ControlType.Invoke, 0, _handle, (Action<Service>)(_ => source.SetResult(null))));
    }

    /// <summary>Drops the forks not started yet: skynet's <c>exit</c> clears the fork queue.</summary>
    void DropQueuedForks() => _forks?.Clear();

    /// <summary>Runs a fork or timeout as a coroutine of its own, without a session; a failure is logged.</summary>
    ValueTask RunCoroutine(Func<ValueTask> work, string what = "Coroutine") => Coroutine.WithoutSession(this).RunLogged(work, what);
}
