using System.Collections.Concurrent;

namespace Skynet;

/// <summary>
/// Worker threads taking services that have mail from one global run queue (skynet's global message queue).
/// A service is in the queue at most once; a worker gives it one turn (a budget of messages) and puts it
/// back at the tail if more mail waits, so a flooded service cannot starve the others.
/// </summary>
internal sealed class Scheduler
{
    const int SpinRounds = 64;

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
        _runQueue.Enqueue(service);
        if (Volatile.Read(ref _sleepers) > 0) _wake.Release();
    }

    void Run(Worker worker)
    {
        while (!_stopping)
        {
            if (_runQueue.TryDequeue(out var service))
            {
                service.RunTurn(worker);
                continue;
            }
            if (SpinForWork()) continue;

            // Announce the sleep before the last look, so Schedule either sees a sleeper or we see its service.
            Interlocked.Increment(ref _sleepers);
            if (_runQueue.IsEmpty && !_stopping) _wake.Wait();
            Interlocked.Decrement(ref _sleepers);
        }
    }

    bool SpinForWork()
    {
        for (var i = 0; i < SpinRounds; i++)
        {
            if (!_runQueue.IsEmpty) return true;
            Thread.SpinWait(20);
        }
        return false;
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
