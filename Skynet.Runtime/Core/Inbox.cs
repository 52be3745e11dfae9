using System.Runtime.InteropServices;

namespace Skynet;

/// <summary>
/// The sending side of a service's mailbox: what every producer touches, and nothing the service's own turn
/// writes per message. Senders reach it straight from the handle registry, so a busy sender and a busy receiver
/// on two cores never write the same cache line; the padding keeps neighbouring objects off its line too.
/// </summary>
/// <remarks>
/// Producers append to a chain of pooled <see cref="MailSegment"/>s inside a tiny spin gate (every critical
/// section is a handful of stores); the owner's turn detaches everything queued at once (<see cref="TakeAll"/>),
/// so the consumer enters the gate once per batch, not per message. A partly filled tail segment stays here after a
/// detach and producers keep filling it after the detached slots, so a busy mailbox uses one segment, not one per
/// turn; the consumer returns a segment to the pool when it has read its last slot, and the owner gives back the
/// shared tail when it goes idle (<see cref="TryGoIdle"/>), so an idle service holds none.
/// A mailbox may be bounded (<see cref="Limit"/>): user messages beyond it are refused, while replies, errors and
/// the runtime's own messages are always taken, so no caller or timer is ever lost to back-pressure. The limit counts
/// what waits here plus what the owner detached and has not handled yet, read only when a limit is set.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 192)]
internal sealed class Inbox
{
    [FieldOffset(64)] readonly Service _owner;
    [FieldOffset(72)] readonly MailSegmentPool _pool;
    [FieldOffset(80)] readonly Scheduler _scheduler;
    [FieldOffset(88)] MailSegment? _head;
    [FieldOffset(96)] MailSegment? _tail;
    [FieldOffset(104)] readonly uint _handle;
    [FieldOffset(108)] int _count;
    [FieldOffset(112)] int _gate;
    [FieldOffset(116)] bool _scheduled;
    [FieldOffset(117)] bool _closed;
    [FieldOffset(120)] int _limit;
    [FieldOffset(128)] long _dropped;
    [FieldOffset(136)] long _lastDropReport;
    [FieldOffset(144)] long _droppedAtLastReport;
    [FieldOffset(152)] int _headStart; // the first slot of _head not yet detached (the consumer reads the ones before it)

    public Inbox(Service owner, uint handle, MailSegmentPool pool, Scheduler scheduler)
    {
        _owner = owner;
        _handle = handle;
        _pool = pool;
        _scheduler = scheduler;
    }

    public Service Owner => _owner;

    public uint Handle => _handle;

    /// <summary>Messages waiting that the owner has not taken yet (a snapshot).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The most messages that may wait; 0 for no limit.</summary>
    public int Limit
    {
        get => Volatile.Read(ref _limit);
        set => Volatile.Write(ref _limit, Math.Max(0, value));
    }

    /// <summary>User messages refused because the mailbox was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queues a message and schedules an idle owner; says why when it was not taken.</summary>
    public Delivery Post(in Envelope envelope)
    {
        var added = TryAdd(in envelope, out var schedule);
        if (added != Delivery.Delivered)
        {
            if (added == Delivery.MailboxFull) RecordDrop();
            return added;
        }
        if (schedule) _scheduler.Schedule(_owner);
        return Delivery.Delivered;
    }

    /// <summary>Gives the owner a turn even with an empty mailbox (kill and exit requests), unless it is dead or already scheduled.</summary>
    public void Wake()
    {
        if (TrySchedule()) _scheduler.Schedule(_owner);
    }

    Delivery TryAdd(in Envelope envelope, out bool schedule)
    {
        Enter();
        if (_closed)
        {
            Exit();
            schedule = false;
            return Delivery.NoService;
        }
        if (_limit > 0 && IsRefusable(envelope.Type) && _count + _owner.DetachedUnhandled >= _limit)
        {
            Exit();
            schedule = false;
            return Delivery.MailboxFull;
        }
        var tail = _tail;
        if (tail is null || tail.Count == MailSegment.Size)
        {
            var segment = _pool.Rent();
            if (tail is null) _head = segment;
            else tail.Next = segment;
            _tail = tail = segment;
        }
        tail.Items[tail.Count++] = envelope;
        _count++;
        schedule = !_scheduled;
        _scheduled = true;
        Exit();
        return Delivery.Delivered;
    }

    /// <summary>Only user messages can be refused; replies, errors and the runtime's control messages always get in.</summary>
    static bool IsRefusable(int type) => type >= 0 && type != (int)PType.Response && type != (int)PType.Error;

    /// <summary>Counts a refused message and logs at most once a second how many were refused since the last line.</summary>
    void RecordDrop()
    {
        var dropped = Interlocked.Increment(ref _dropped);
        var now = Environment.TickCount64;
        var last = Volatile.Read(ref _lastDropReport);
        if (last != 0 && now - last < 1000) return;
        if (Interlocked.CompareExchange(ref _lastDropReport, now, last) != last) return;
        var since = dropped - Interlocked.Exchange(ref _droppedAtLastReport, dropped);
        _owner.ReportDrops(since, dropped, _limit);
    }

    bool TrySchedule()
    {
        Enter();
        var idle = !_closed && !_scheduled;
        if (idle) _scheduled = true;
        Exit();
        return idle;
    }

    /// <summary>
    /// Detaches every queued message for the owner's turn: <paramref name="count"/> messages from slot
    /// <paramref name="start"/> of the returned segment on (following <see cref="MailSegment.Next"/> past full ones).
    /// </summary>
    public MailSegment? TakeAll(out int count, out int start)
    {
        Enter();
        var head = _head;
        start = _headStart;
        count = _count;
        var tail = _tail;
        if (tail is not null && tail.Count < MailSegment.Size)
        {
            // Keep filling the tail after the detached slots; the consumer never reads past what it detached.
            _head = tail;
            _headStart = tail.Count;
        }
        else
        {
            // A full tail is never written again: the consumer owns it (and returns it when read).
            _head = _tail = null;
            _headStart = 0;
        }
        _count = 0;
        Exit();
        return head;
    }

    /// <summary>
    /// Ends a turn: unless mail arrived (or <paramref name="keepScheduled"/>), the owner becomes idle and the next
    /// sender schedules it again, and the shared tail segment (all of it read) comes back in <paramref name="released"/>.
    /// False when the owner must be queued for another turn.
    /// </summary>
    public bool TryGoIdle(bool keepScheduled, out MailSegment? released)
    {
        released = null;
        Enter();
        var idle = _closed || (!keepScheduled && _count == 0);
        if (idle)
        {
            _scheduled = false;
            if (!_closed && _head is not null)
            {
                released = _head;
                _head = _tail = null;
                _headStart = 0;
            }
        }
        Exit();
        return idle;
    }

    /// <summary>Refuses all further mail and returns what was still queued (as <see cref="TakeAll"/> does).</summary>
    public MailSegment? Close(out int count, out int start)
    {
        Enter();
        _closed = true;
        var head = _head;
        start = _headStart;
        count = _count;
        _head = _tail = null;
        _headStart = 0;
        _count = 0;
        Exit();
        return head;
    }

    // The sections above cannot throw (the pool only allocates), so no try/finally is needed around them.
    void Enter()
    {
        if (Interlocked.CompareExchange(ref _gate, 1, 0) != 0) EnterContended();
    }

    void EnterContended()
    {
        var spinner = new SpinWait();
        do spinner.SpinOnce(sleep1Threshold: -1);
        while (Volatile.Read(ref _gate) != 0 || Interlocked.CompareExchange(ref _gate, 1, 0) != 0);
    }

    void Exit() => Volatile.Write(ref _gate, 0);
}

/// <summary>What became of a message handed to a mailbox.</summary>
internal enum Delivery
{
    /// <summary>Queued.</summary>
    Delivered,
    /// <summary>No service lives at the address (never did, or exited).</summary>
    NoService,
    /// <summary>The service's mailbox is at its limit; the message was dropped.</summary>
    MailboxFull,
}
