namespace Skynet;

/// <summary>
/// skynet's <c>skynet.queue</c>: code given to <see cref="Run"/> runs one coroutine at a time, in arrival order,
/// even across <c>await</c>s. Reentrant for its holder: code already inside may enter again without deadlock.
/// Create one per service (usually a field) and use it only from that service.
/// </summary>
/// <example>
/// <code>
/// readonly CriticalSection _cs = new();
/// [Response] public ValueTask&lt;int&gt; Deposit(int amount) => _cs.Run(async () =>
/// {
///     var audited = await Req.Audit(amount);   // other messages run here, but not other deposits
///     _balance += audited;
///     return _balance;
/// });
/// </code>
/// </example>
public sealed class CriticalSection
{
    // The holder is a coroutine (skynet.queue's current_thread): everything it awaits runs as that coroutine and may
    // enter again; a fork is another coroutine and waits its turn.

    Service? _owner;
    Coroutine? _holder;
    bool _locked;
    Queue<SessionSource>? _waiters;

    /// <summary>True while some coroutine is inside.</summary>
    public bool IsLocked => _locked;

    /// <summary>Coroutines waiting to enter.</summary>
    public int WaitingCount => _waiters?.Count ?? 0;

    /// <summary>Runs <paramref name="body"/> inside the critical section and returns its result.</summary>
    public ValueTask<T> Run<T>(Func<ValueTask<T>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var coroutine = RunningCoroutine();
        if (_holder == coroutine) return body();
        if (!coroutine.IsShared) return RunHeld(coroutine, body);
        // Handlers of sent messages share the turn's context; the one that enters gets an identity of its own.
        var own = Coroutine.ForSentMessage(coroutine.Service);
        return own.Start(() => RunHeld(own, body));
    }

    /// <summary>Runs <paramref name="body"/> inside the critical section.</summary>
    public ValueTask Run(Func<ValueTask> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var coroutine = RunningCoroutine();
        if (_holder == coroutine) return body();
        if (!coroutine.IsShared) return RunHeld(coroutine, body);
        var own = Coroutine.ForSentMessage(coroutine.Service);
        return own.Start(() => RunHeld(own, body));
    }

    async ValueTask<T> RunHeld<T>(Coroutine coroutine, Func<ValueTask<T>> body)
    {
        await Enter(coroutine.Service);
        _holder = coroutine;
        try
        {
            return await body();
        }
        finally
        {
            _holder = null;
            Leave();
        }
    }

    async ValueTask RunHeld(Coroutine coroutine, Func<ValueTask> body)
    {
        await Enter(coroutine.Service);
        _holder = coroutine;
        try
        {
            await body();
        }
        finally
        {
            _holder = null;
            Leave();
        }
    }

    static Coroutine RunningCoroutine() => Coroutine.Running
        ?? throw new InvalidOperationException("A critical section is entered from a service's own code; this thread runs no service.");

    ValueTask Enter(Service service)
    {
        _owner ??= service;
        if (_owner != service)
            throw new InvalidOperationException($"This critical section belongs to {_owner.Self}; each service needs its own.");
        if (!_locked)
        {
            _locked = true;
            return default;
        }
        var waiter = service.RentSource();
        (_waiters ??= new()).Enqueue(waiter);
        return waiter.AsTask();
    }

    void Leave()
    {
        // Ownership passes straight to the next waiter, so a newcomer cannot overtake the queue.
        if (_waiters is { Count: > 0 } waiters) _owner!.ResumeLater(waiters.Dequeue());
        else _locked = false;
    }
}
