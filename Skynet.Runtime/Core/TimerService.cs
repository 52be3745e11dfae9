using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Skynet;

/// <summary>
/// The node's clock thread: fires timers as messages into their services (skynet's timer, which answers a
/// timeout with a RESPONSE for its session) and watches the workers for handlers that run too long
/// (skynet's monitor thread). A binary heap keeps 10 000 pending timers at ~14 comparisons per insert.
/// Timers are never cancelled: a late one finds its session gone and is dropped, as in skynet.
/// </summary>
internal sealed class TimerService
{
    readonly record struct TimerEntry(Service Target, Envelope Envelope);

    readonly PriorityQueue<TimerEntry, long> _queue = new();
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

    public void Schedule(Service target, TimeSpan delay, in Envelope envelope)
    {
        var due = Stopwatch.GetTimestamp() + Math.Max(0, ToTicks(delay));
        bool earlier;
        lock (_lock)
        {
            _queue.Enqueue(new TimerEntry(target, envelope), due);
            earlier = due < _nextDue;
            if (earlier) _nextDue = due;
        }
        if (earlier) _changed.Set();
    }

    void Run()
    {
        _nextMonitor = Stopwatch.GetTimestamp() + _monitorInterval;
        var fired = new List<TimerEntry>();
        while (!_stopping)
        {
            var now = Stopwatch.GetTimestamp();
            lock (_lock)
            {
                while (_queue.TryPeek(out var entry, out var due) && due <= now)
                {
                    _queue.Dequeue();
                    fired.Add(entry);
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
