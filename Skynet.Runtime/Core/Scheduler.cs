using System.Collections.Concurrent;

namespace Skynet;

/// <summary>
/// Worker threads taking services that have mail from one global run queue (skynet's global message queue).
/// A service is scheduled at most once; a worker gives it one turn (a budget of messages) and puts it
/// back at the tail if more mail waits, so a flooded service cannot starve the others.
/// </summary>
/// <remarks>
/// Beyond skynet: a service woken by the running turn goes to the worker's <c>next</c> slot and runs right after
/// it on the same core, so a call's request and reply stay in one cache instead of crossing cores twice. Limits
/// keep this fair: a worker follows at most <see cref="MaxChain"/> such hand-offs before it serves the global
/// queue, idle workers steal a slot after spinning, and the clock thread moves a slot stuck behind a long handler
/// to the global queue.
/// An idle worker spins briefly (<see cref="SpinBudget"/>), then parks on its own <see cref="WakeSignal"/>, which does not spin again.
/// At most half the workers spin at once. New work wakes exactly one parked worker, and only when no worker is
/// spinning (a spinner will find it); a spinner that finds work and sees more waiting wakes the next one, so queued
/// work never waits for a busy worker while another core sleeps.
/// </remarks>
internal sealed class Scheduler
{
    const int MaxChain = 32;

    /// <summary>
    /// How long an idle worker looks for work before it parks. Long enough to catch the reply of a round trip on the
    /// other core, short enough that a node at low load sleeps (measured in docs/benchmarks.md, "Core tuning").
    /// </summary>
    /// <remarks>
    /// 5 µs, chosen from 2/5/10/20/50 µs: a spinning worker delays the threads it just woke on its own core (the
    /// kernel places them there), so an outside round trip took about the spin plus 18 µs, and the worker's CPU per
    /// round trip at low load grew with the spin too.
    /// </remarks>
    static readonly long SpinBudget = System.Diagnostics.Stopwatch.Frequency * 5 / 1_000_000;

    /// <summary>
    /// Spins in a row that found nothing after which a worker parks straight after its turn: at low load (one client's
    /// frame every 40 µs) every spin is lost, and the spin was a quarter of the worker's CPU per frame (docs/benchmarks.md,
    /// "Gate CPU per frame"). A spin that finds work, or a park that work ended within <see cref="ShortPark"/>, turns
    /// spinning back on. While another worker runs a turn the idle one spins regardless: it is the one that catches that
    /// turn's output (a call's reply, the caller's next request); parking there made call_rtt and snax_req slower.
    /// </summary>
    const int MaxFruitlessSpins = 4;

    /// <summary>A park this short means the work came right after the worker gave up: a spin would have caught it.</summary>
    static readonly long ShortPark = SpinBudget * 2;

    [ThreadStatic] static Worker? t_worker;

    readonly ConcurrentQueue<Service> _runQueue = new();
    readonly Worker[] _workers;
    readonly Thread[] _threads;
    readonly Lock _parkLock = new();
    readonly Worker[] _parked; // a stack: the worker parked last (warmest cache) is woken first
    int _parkedCount;
    int _spinning;
    readonly int _maxSpinners;
    volatile bool _stopping;

    public Scheduler(int threadCount, Action<Exception> onWorkerFault)
    {
        _workers = new Worker[threadCount];
        _threads = new Thread[threadCount];
        _parked = new Worker[threadCount];
        _maxSpinners = Math.Max(1, threadCount / 2);
        for (var i = 0; i < threadCount; i++)
        {
            var worker = _workers[i] = new Worker(i);
            _threads[i] = new Thread(() =>
            {
                try { Run(worker); }
                catch (Exception ex) { onWorkerFault(ex); }
            })
            {
                IsBackground = true,
                Name = $"skynet-worker-{i}",
            };
        }
    }

    public IReadOnlyList<Worker> Workers => _workers;

    public int ThreadCount => _threads.Length;

    /// <summary>Workers asleep on their event (a snapshot, for tests and introspection).</summary>
    public int ParkedCount => Volatile.Read(ref _parkedCount);

    public void Start()
    {
        foreach (var thread in _threads) thread.Start();
    }

    public void Schedule(Service service)
    {
        var worker = t_worker;
        if (worker is not null && worker.InTurn && worker.Scheduler == this)
        {
            var displaced = Interlocked.Exchange(ref worker.Next, service);
            if (displaced is null) return;
            service = displaced;
        }
        Publish(service);
    }

    /// <summary>A service whose turn ended with mail left goes to the global tail, behind everyone waiting.</summary>
    public void Requeue(Service service) => Publish(service);

    void Publish(Service service)
    {
        _runQueue.Enqueue(service);
        WakeIfIdle();
    }

    /// <summary>Wakes one parked worker unless a worker is spinning (it will find the work).</summary>
    void WakeIfIdle()
    {
        // Pairs with the fence in Park: either this sees the parked worker, or the worker sees the queued work.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _spinning) == 0 && Volatile.Read(ref _parkedCount) > 0) WakeOne();
    }

    void WakeOne()
    {
        Worker? woken = null;
        lock (_parkLock)
        {
            if (_parkedCount > 0)
            {
                woken = _parked[--_parkedCount];
                _parked[_parkedCount] = null!;
                woken.Parked = false;
            }
        }
        woken?.Wake.Set();
    }

    void Run(Worker worker)
    {
        t_worker = worker;
        worker.Scheduler = this;
        while (!_stopping)
        {
            if (TakeWork(worker) is { } service)
            {
                worker.InTurn = true;
                TurnEnd.Open();
                service.RunTurn(worker);
                worker.InTurn = false;
                TurnEnd.Close();
                continue;
            }
            if ((worker.FruitlessSpins < MaxFruitlessSpins || OtherInTurn(worker)) && TryStartSpinning())
            {
                var found = SpinForWork(worker);
                Interlocked.Decrement(ref _spinning);
                if (found)
                {
                    worker.FruitlessSpins = 0;
                    // This was maybe the spinner a publisher counted on; more may wait than this worker can take.
                    if (!_runQueue.IsEmpty) WakeIfIdle();
                    continue;
                }
                worker.FruitlessSpins++;
            }
            Park(worker);
        }
    }

    /// <summary>Whether another worker runs a turn now: its output (a call's reply, the next request) is what a spin catches.</summary>
    bool OtherInTurn(Worker self)
    {
        foreach (var other in _workers)
            if (other != self && Volatile.Read(ref other.InTurn)) return true;
        return false;
    }

    /// <summary>
    /// At most half the workers (at least one) spin at a time: one spinner already catches new work, and more would
    /// take cores from the threads that produce it (sockets, timers, callers outside the node) on a small machine.
    /// </summary>
    bool TryStartSpinning()
    {
        var spinning = Volatile.Read(ref _spinning);
        while (spinning < _maxSpinners)
        {
            var seen = Interlocked.CompareExchange(ref _spinning, spinning + 1, spinning);
            if (seen == spinning) return true;
            spinning = seen;
        }
        return false;
    }

    /// <summary>Sleeps until <see cref="WakeOne"/> picks this worker, unless work arrived while it announced the sleep.</summary>
    void Park(Worker worker)
    {
        lock (_parkLock)
        {
            _parked[_parkedCount++] = worker;
            worker.Parked = true;
        }
        Interlocked.MemoryBarrier(); // the announcement before the last look, so Publish sees it or we see the work
        if ((!_runQueue.IsEmpty || _stopping) && Unpark(worker))
        {
            worker.FruitlessSpins = 0; // the work came as it gave up
            return;
        }
        var parkedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        worker.Wake.Wait();
        if (System.Diagnostics.Stopwatch.GetTimestamp() - parkedAt < ShortPark) worker.FruitlessSpins = 0;
    }

    /// <summary>Takes this worker off the parked stack; false when a waker already took it (its signal is on the way).</summary>
    bool Unpark(Worker worker)
    {
        lock (_parkLock)
        {
            if (!worker.Parked) return false;
            var index = Array.IndexOf(_parked, worker, 0, _parkedCount);
            Array.Copy(_parked, index + 1, _parked, index, _parkedCount - index - 1);
            _parked[--_parkedCount] = null!;
            worker.Parked = false;
            return true;
        }
    }

    Service? TakeWork(Worker worker)
    {
        if (worker.Next is not null)
        {
            var next = Interlocked.Exchange(ref worker.Next, null);
            if (next is not null)
            {
                if (++worker.Chain <= MaxChain) return next;
                Publish(next); // its turn comes after what waits in the global queue
            }
        }
        worker.Chain = 0;
        return _runQueue.TryDequeue(out var service) ? service : null;
    }

    bool SpinForWork(Worker self)
    {
        // Note what the others have queued for themselves; only a slot its owner did not get to while we spun is
        // stolen, so a fast ping-pong between two services stays on its core.
        var seenNext = self.SeenNext ??= new Service?[_workers.Length];
        var seenVersion = self.SeenVersion ??= new long[_workers.Length];
        for (var i = 0; i < _workers.Length; i++)
        {
            seenNext[i] = _workers[i].Next;
            seenVersion[i] = _workers[i].Version;
        }
        var deadline = System.Diagnostics.Stopwatch.GetTimestamp() + SpinBudget;
        do
        {
            if (!_runQueue.IsEmpty) return true;
            Thread.SpinWait(8);
        }
        while (System.Diagnostics.Stopwatch.GetTimestamp() < deadline && !_stopping);
        var stole = false;
        for (var i = 0; i < _workers.Length; i++)
        {
            var worker = _workers[i];
            var next = seenNext[i];
            seenNext[i] = null;
            if (worker == self || next is null || worker.Next != next || worker.Version != seenVersion[i]) continue;
            if (Interlocked.CompareExchange(ref worker.Next, null, next) == next)
            {
                Publish(next);
                stole = true;
            }
        }
        return stole;
    }

    /// <summary>Called by the clock thread: a slot that stayed full while its worker ran one message goes global.</summary>
    public void RescueStuckSlots()
    {
        foreach (var worker in _workers)
        {
            var next = worker.Next;
            var version = worker.Version;
            if (next is not null && next == worker.WatchedNext && version == worker.WatchedVersion)
            {
                if (Interlocked.CompareExchange(ref worker.Next, null, next) == next) Publish(next);
                worker.WatchedNext = null;
                continue;
            }
            worker.WatchedNext = next;
            worker.WatchedVersion = version;
        }
    }

    public void Stop(TimeSpan joinTimeout)
    {
        _stopping = true;
        for (var i = 0; i < _threads.Length; i++) WakeOne();
        foreach (var thread in _threads)
            if (thread.IsAlive && thread != Thread.CurrentThread) thread.Join(joinTimeout);
    }
}

/// <summary>
/// What one worker thread is doing, for the endless-loop monitor (skynet's skynet_monitor). The version is odd
/// while a message runs; the monitor notes when it first saw a version, so the hot path reads no clock.
/// </summary>
internal sealed class Worker(int index)
{
    long _version;
    Service? _current;
    uint _source;

    public int Index { get; } = index;

    /// <summary>The service to run right after the current turn (see <see cref="Scheduler"/>).</summary>
    public Service? Next;
    public int Chain;
    public int FruitlessSpins; // only this worker touches it (see Scheduler.MaxFruitlessSpins)
    public bool InTurn;
    public Scheduler? Scheduler;

    // Parking (guarded by the scheduler's park lock): the signal does not spin, the spin came before it.
    public bool Parked;
    public readonly WakeSignal Wake = new();

    // Only this worker touches these, while it looks for work.
    public Service?[]? SeenNext;
    public long[]? SeenVersion;

    // Only the clock thread touches these.
    public Service? WatchedNext;
    public long WatchedVersion;

    public long Version => Volatile.Read(ref _version);

    public void BeginMessage(Service service, uint source)
    {
        _current = service;
        _source = source;
        Volatile.Write(ref _version, _version + 1);
    }

    public void EndMessage() => Volatile.Write(ref _version, _version + 1);

    /// <summary>A consistent-enough snapshot: the version tells whether the same message is still running.</summary>
    public (long Version, Service? Service, uint Source) Snapshot()
    {
        var version = Volatile.Read(ref _version);
        return (version & 1) == 1 ? (version, _current, _source) : (version, null, 0);
    }
}
