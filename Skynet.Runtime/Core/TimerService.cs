using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Skynet;

/// <summary>
/// The node's clock thread: fires timers as messages into their services (skynet's timer, which answers a
/// timeout with a RESPONSE for its session) and watches the workers for handlers that run too long
/// (skynet's monitor thread). A binary heap keeps 10 000 pending timers at ~14 comparisons per insert.
/// A call's timeout timer is cancelled when the reply comes (<see cref="Cancel"/>), so answered calls leave no timers
/// behind; other timers are not (a late one finds its session gone and is dropped, as in skynet).
/// </summary>
internal sealed class TimerService
{
    /// <summary>
    /// A scheduled timer. Cancelling marks it and lets go of its envelope at once; the heap slot is reclaimed lazily
    /// (skipped when it comes due, or swept when cancelled slots outnumber live ones), so a cancel costs O(1).
    /// </summary>
    internal sealed class TimerEntry(Service target, Envelope envelope)
    {
        public Service? Target = target;
        public Envelope Envelope = envelope;
        public bool Cancelled => Target is null;
    }

    readonly PriorityQueue<TimerEntry, long> _queue = new();
    int _cancelled;
    readonly Lock _lock = new();
    readonly AutoResetEvent _changed = new(false);
    readonly SkynetNode _node;
    readonly Thread _thread;
    readonly long _monitorInterval;
    readonly long _endlessThreshold;
    readonly long _rescueInterval = Stopwatch.Frequency / 500; // 2 ms: how long a woken service may wait behind a long handler
    readonly Dictionary<int, (long Version, long FirstSeen, bool Reported)> _watch = [];
    long _nextDue = long.MaxValue;
    long _nextMonitor;
    volatile bool _stopping;

    public TimerService(SkynetNode node)
    {
        _node = node;
        _endlessThreshold = ToTicks(node.Options.EndlessLoopThreshold);
        _monitorInterval = Math.Max(ToTicks(TimeSpan.FromMilliseconds(5)), _endlessThreshold / 4);
        _thread = new Thread(Run) { IsBackground = true, Name = "skynet-timer" };
    }

    public int Pending
    {
        get { lock (_lock) return _queue.Count - _cancelled; }
    }

    /// <summary>Heap slots in use, cancelled ones not yet swept included (what the timers cost in memory).</summary>
    public int HeapSlots
    {
        get { lock (_lock) return _queue.Count; }
    }

    static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    public void Start() => _thread.Start();

    public void Stop()
    {
        _stopping = true;
        _changed.Set();
        if (_thread.IsAlive && _thread != Thread.CurrentThread) _thread.Join(TimeSpan.FromSeconds(5));
    }

    public TimerEntry Schedule(Service target, TimeSpan delay, in Envelope envelope)
    {
        var due = Stopwatch.GetTimestamp() + Math.Max(0, ToTicks(delay));
        var entry = new TimerEntry(target, envelope);
        bool earlier;
        lock (_lock)
        {
            _queue.Enqueue(entry, due);
            earlier = due < _nextDue;
            if (earlier) _nextDue = due;
        }
        if (earlier) _changed.Set();
        return entry;
    }

    /// <summary>Cancels a timer that has not fired; a no-op for one that fired or was cancelled.</summary>
    public void Cancel(TimerEntry entry)
    {
        lock (_lock)
        {
            if (entry.Cancelled) return;
            entry.Target = null;
            entry.Envelope = default;
            if (++_cancelled > 1024 && _cancelled > _queue.Count / 2) Sweep();
        }
    }

    void Sweep()
    {
        var live = new List<(TimerEntry, long)>(_queue.Count - _cancelled);
        foreach (var (entry, due) in _queue.UnorderedItems)
            if (!entry.Cancelled) live.Add((entry, due));
        _queue.Clear();
        _queue.EnqueueRange(live);
        _cancelled = 0;
    }

    void Run()
    {
        _nextMonitor = Stopwatch.GetTimestamp() + _monitorInterval;
        var fired = new List<(Service Target, Envelope Envelope)>();
        while (!_stopping)
        {
            var now = Stopwatch.GetTimestamp();
            lock (_lock)
            {
                while (_queue.TryPeek(out var entry, out var due) && due <= now)
                {
                    _queue.Dequeue();
                    if (entry.Cancelled) _cancelled--;
                    else fired.Add((entry.Target!, entry.Envelope));
                    entry.Target = null; // fired: a later Cancel is a no-op
                }
                _nextDue = _queue.TryPeek(out _, out var next) ? next : long.MaxValue;
            }
            foreach (var entry in fired) entry.Target.Enqueue(entry.Envelope);
            fired.Clear();

            if (now >= _nextMonitor)
            {
                CheckWorkers(now);
                _nextMonitor = now + _monitorInterval;
            }
            _node.Scheduler.RescueStuckSlots();
            var wakeAt = Math.Min(Math.Min(Volatile.Read(ref _nextDue), _nextMonitor), now + _rescueInterval);
            var remaining = wakeAt - Stopwatch.GetTimestamp();
            if (remaining > 0)
                _changed.WaitOne((int)Math.Clamp((remaining * 1000 + Stopwatch.Frequency - 1) / Stopwatch.Frequency, 1, int.MaxValue));
        }
    }

    void CheckWorkers(long now)
    {
        foreach (var worker in _node.Scheduler.Workers)
        {
            var (version, service, source) = worker.Snapshot();
            if (service is null) { _watch.Remove(worker.Index); continue; }
            if (!_watch.TryGetValue(worker.Index, out var seen) || seen.Version != version)
            {
                _watch[worker.Index] = (version, now, false);
                continue;
            }
            if (seen.Reported || now - seen.FirstSeen < _endlessThreshold) continue;
            _watch[worker.Index] = seen with { Reported = true };
            _node.LogFor(service.Self, LogLevel.Warning,
                $"A message from [ {new Address(source)} ] to [ {service.Self} ] maybe in an endless loop (version = {version / 2 + 1})", null);
        }
    }
}
