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
    // The coroutines' identity is their async flow: an AsyncLocal set inside Run is seen by everything the
    // holder awaits and by nothing else (not even its forks), which is exactly skynet.queue's reentrancy rule.
    static readonly AsyncLocal<Holder?> s_held = new();

    sealed record Holder(CriticalSection Section, Holder? Next);

    Service? _owner;
    bool _locked;
    Queue<SessionSource>? _waiters;

    /// <summary>True while some coroutine is inside.</summary>
    public bool IsLocked => _locked;

    /// <summary>Coroutines waiting to enter.</summary>
    public int WaitingCount => _waiters?.Count ?? 0;

    /// <summary>Runs <paramref name="body"/> inside the critical section and returns its result.</summary>
    public async ValueTask<T> Run<T>(Func<ValueTask<T>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (IsHeldByThisCoroutine()) return await body();
        await Enter();
        s_held.Value = new Holder(this, s_held.Value);
        try
        {
            return await body();
        }
        finally
        {
            Leave();
        }
    }

    /// <summary>Runs <paramref name="body"/> inside the critical section.</summary>
    public async ValueTask Run(Func<ValueTask> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (IsHeldByThisCoroutine())
        {
            await body();
            return;
        }
        await Enter();
        s_held.Value = new Holder(this, s_held.Value);
        try
        {
            await body();
        }
        finally
        {
            Leave();
        }
    }

    bool IsHeldByThisCoroutine()
    {
        for (var holder = s_held.Value; holder is not null; holder = holder.Next)
            if (holder.Section == this) return true;
        return false;
    }

    ValueTask Enter()
    {
        var service = Service.Current
            ?? throw new InvalidOperationException("A critical section is entered from a service's own code; this thread runs no service.");
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
