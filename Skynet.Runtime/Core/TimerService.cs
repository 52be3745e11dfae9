using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Skynet;

/// <summary>
/// The node's clock thread: fires timers as messages into their services (skynet's timer, which answers a
/// timeout with a RESPONSE for its session) and watches the workers for handlers that run too long
/// (skynet's monitor thread). A binary heap keeps 10 000 pending timers at ~14 comparisons per insert.
/// A call's timeout timer is cancelled when the reply comes (<see cref="Cancel"/>), so answered calls leave no timers
/// behind; other timers are not (a late one finds its session gone and is dropped, as in skynet).
/// Timer due times are read from the node's <see cref="SkynetOptions.TimeProvider"/>; under a virtual clock a timer of
/// that clock fires them on the thread that advances it, so a test sees them queued when its advance returns.
/// The worker monitor measures real threads and stays on <see cref="Stopwatch"/>.
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
    readonly TimeProvider _time;
    readonly ITimer? _virtualWake; // null on the system clock: the thread waits for due times itself
    readonly Lock _armLock = new();
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
        _time = node.Options.TimeProvider;
        if (_time != TimeProvider.System)
            _virtualWake = _time.CreateTimer(static state => ((TimerService)state!).OnVirtualWake(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
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

    /// <summary>The earliest pending timer's due time on the node's clock (its timestamp units), or null.</summary>
    public long? NextDue
    {
        get { lock (_lock) return _queue.TryPeek(out _, out var due) ? due : null; }
    }

    public void Start() => _thread.Start();

    public void Stop()
    {
        _stopping = true;
        _changed.Set();
        lock (_armLock) _virtualWake?.Dispose();
        if (_thread.IsAlive && _thread != Thread.CurrentThread) _thread.Join(TimeSpan.FromSeconds(5));
    }

    public TimerEntry Schedule(Service target, TimeSpan delay, in Envelope envelope)
    {
        var due = _time.GetTimestamp() + Math.Max(0, (long)(delay.TotalSeconds * _time.TimestampFrequency));
        var entry = new TimerEntry(target, envelope);
        bool earlier;
        lock (_lock)
        {
            _queue.Enqueue(entry, due);
            earlier = due < _nextDue;
            if (earlier) _nextDue = due;
        }
        if (earlier)
        {
            if (_virtualWake is null) _changed.Set();
            else ArmVirtualWake();
        }
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
            if (_virtualWake is null) FireDue(fired);
            var now = Stopwatch.GetTimestamp();
            if (now >= _nextMonitor)
            {
                CheckWorkers(now);
                _nextMonitor = now + _monitorInterval;
            }
            _node.Scheduler.RescueStuckSlots();
            var wakeAt = Math.Min(_nextMonitor, now + _rescueInterval);
            if (_virtualWake is null) wakeAt = Math.Min(wakeAt, Volatile.Read(ref _nextDue)); // the system clock's timestamps are Stopwatch's
            var remaining = wakeAt - Stopwatch.GetTimestamp();
            if (remaining > 0)
                _changed.WaitOne((int)Math.Clamp((remaining * 1000 + Stopwatch.Frequency - 1) / Stopwatch.Frequency, 1, int.MaxValue));
        }
    }

    void FireDue(List<(Service Target, Envelope Envelope)> fired)
    {
        var now = _time.GetTimestamp();
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
    }

    void OnVirtualWake()
    {
        if (_stopping) return;
        FireDue([]);
        ArmVirtualWake();
    }

    /// <summary>Points the virtual clock's one timer at the earliest due time; the last caller wins, and it reads the queue under the lock.</summary>
    void ArmVirtualWake()
    {
        lock (_armLock)
        {
            if (_stopping) return;
            long? due = NextDue;
            var wait = Timeout.InfiniteTimeSpan;
            if (due is { } at)
            {
                var ticks = Math.Max(0, at - _time.GetTimestamp());
                wait = TimeSpan.FromTicks((long)Math.Ceiling(ticks * (double)TimeSpan.TicksPerSecond / _time.TimestampFrequency));
            }
            _virtualWake!.Change(wait, Timeout.InfiniteTimeSpan);
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
