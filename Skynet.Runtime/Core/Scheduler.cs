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
/// </remarks>
internal sealed class Scheduler
{
    const int SpinRounds = 64;
    const int MaxChain = 32;

    [ThreadStatic] static Worker? t_worker;

    readonly ConcurrentQueue<Service> _runQueue = new();
    readonly SemaphoreSlim _wake = new(0);
    readonly Worker[] _workers;
    readonly Thread[] _threads;
    int _sleepers;
    volatile bool _stopping;

    public Scheduler(int threadCount, Action<Exception> onWorkerFault)
    {
        _workers = new Worker[threadCount];
        _threads = new Thread[threadCount];
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
        if (Volatile.Read(ref _sleepers) > 0) _wake.Release();
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
            if (SpinForWork(worker)) continue;

            // Announce the sleep before the last look, so Schedule either sees a sleeper or we see its service.
            Interlocked.Increment(ref _sleepers);
            if (_runQueue.IsEmpty && !_stopping) _wake.Wait();
            Interlocked.Decrement(ref _sleepers);
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
        for (var i = 0; i < SpinRounds; i++)
        {
            if (!_runQueue.IsEmpty) return true;
            Thread.SpinWait(20);
        }
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
        _wake.Release(_threads.Length);
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
    public bool InTurn;
    public Scheduler? Scheduler;

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
