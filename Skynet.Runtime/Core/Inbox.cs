using System.Runtime.InteropServices;

namespace Skynet;

/// <summary>
/// The sending side of a service's mailbox: what every producer touches, and nothing the service's own turn
/// writes per message. Senders reach it straight from the handle registry, so a busy sender and a busy receiver
/// on two cores never write the same cache line; the padding keeps neighbouring objects off its line too.
/// </summary>
/// <remarks>
/// Producers append to a chain of pooled <see cref="MailSegment"/>s inside a tiny spin gate (every critical
/// section is a handful of stores); the owner's turn detaches the whole chain at once (<see cref="TakeAll"/>),
/// so the consumer enters the gate once per batch, not per message.
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

    /// <summary>Queues a message and schedules an idle owner; false once the owner is dead (the message was not taken).</summary>
    public bool Post(in Envelope envelope)
    {
        if (!TryAdd(in envelope, out var schedule)) return false;
        if (schedule) _scheduler.Schedule(_owner);
        return true;
    }

    /// <summary>Gives the owner a turn even with an empty mailbox (kill and exit requests), unless it is dead or already scheduled.</summary>
    public void Wake()
    {
        if (TrySchedule()) _scheduler.Schedule(_owner);
    }

    bool TryAdd(in Envelope envelope, out bool schedule)
    {
        Enter();
        if (_closed)
        {
            Exit();
            schedule = false;
            return false;
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
        return true;
    }

    bool TrySchedule()
    {
        Enter();
        var idle = !_closed && !_scheduled;
        if (idle) _scheduled = true;
        Exit();
        return idle;
    }

    /// <summary>Detaches every queued message for the owner's turn.</summary>
    public MailSegment? TakeAll(out int count)
    {
        Enter();
        var head = _head;
        count = _count;
        _head = _tail = null;
        _count = 0;
        Exit();
        return head;
    }

    /// <summary>
    /// Ends a turn: unless mail arrived (or <paramref name="keepScheduled"/>), the owner becomes idle and the next
    /// sender schedules it again. False when the owner must be queued for another turn.
    /// </summary>
    public bool TryGoIdle(bool keepScheduled)
    {
        Enter();
        var idle = _closed || (!keepScheduled && _count == 0);
        if (idle) _scheduled = false;
        Exit();
        return idle;
    }

    /// <summary>Refuses all further mail and returns what was still queued.</summary>
    public MailSegment? Close()
    {
        Enter();
        _closed = true;
        var head = _head;
        _head = _tail = null;
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
