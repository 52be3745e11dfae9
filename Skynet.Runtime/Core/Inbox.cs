using System.Runtime.InteropServices;

namespace Skynet;

/// <summary>
/// The sending side of a service's mailbox: what every producer touches, and nothing the service's own turn
/// writes per message. Senders reach it straight from the handle registry, so a busy sender and a busy receiver
/// on two cores never write the same cache line; the padding keeps neighbouring objects off its line too.
/// </summary>
/// <remarks>
/// Producers append to a chain of pooled <see cref="MailSegment"/>s under a lock; the owner's turn detaches the
/// whole chain at once (<see cref="TakeAll"/>), so the consumer takes the lock once per batch, not per message.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 192)]
internal sealed class Inbox
{
    [FieldOffset(64)] readonly Service _owner;
    [FieldOffset(72)] readonly Lock _lock = new();
    [FieldOffset(80)] readonly MailSegmentPool _pool;
    [FieldOffset(88)] MailSegment? _head;
    [FieldOffset(96)] MailSegment? _tail;
    [FieldOffset(104)] readonly uint _handle;
    [FieldOffset(108)] int _count;
    [FieldOffset(112)] bool _scheduled;
    [FieldOffset(113)] bool _closed;

    public Inbox(Service owner, uint handle, MailSegmentPool pool)
    {
        _owner = owner;
        _handle = handle;
        _pool = pool;
    }

    public Service Owner => _owner;

    public uint Handle => _handle;

    /// <summary>Messages waiting that the owner has not taken yet.</summary>
    public int Count
    {
        get { lock (_lock) return _count; }
    }

    /// <summary>Queues a message; false once the owner is dead. True in <paramref name="schedule"/> when the owner was idle.</summary>
    public bool TryAdd(in Envelope envelope, out bool schedule)
    {
        lock (_lock)
        {
            if (_closed)
            {
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
        }
        return true;
    }

    /// <summary>Marks the owner scheduled without mail (kill and exit requests); true when it was idle and alive.</summary>
    public bool TrySchedule()
    {
        lock (_lock)
        {
            if (_closed || _scheduled) return false;
            _scheduled = true;
            return true;
        }
    }

    /// <summary>Detaches every queued message for the owner's turn.</summary>
    public MailSegment? TakeAll(out int count)
    {
        lock (_lock)
        {
            var head = _head;
            count = _count;
            _head = _tail = null;
            _count = 0;
            return head;
        }
    }

    /// <summary>
    /// Ends a turn: unless mail arrived (or <paramref name="keepScheduled"/>), the owner becomes idle and the next
    /// sender schedules it again. False when the owner must be queued for another turn.
    /// </summary>
    public bool TryGoIdle(bool keepScheduled)
    {
        lock (_lock)
        {
            if (_closed) { _scheduled = false; return true; }
            if (keepScheduled || _count > 0) return false;
            _scheduled = false;
            return true;
        }
    }

    /// <summary>Refuses all further mail and returns what was still queued.</summary>
    public MailSegment? Close()
    {
        lock (_lock)
        {
            _closed = true;
            var head = _head;
            _head = _tail = null;
            _count = 0;
            return head;
        }
    }
}
