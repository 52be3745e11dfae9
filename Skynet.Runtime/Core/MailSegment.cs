using System.Collections.Concurrent;

namespace Skynet;

/// <summary>
/// A fixed block of mailbox slots. Mailboxes chain them and hand drained ones back to the node's pool, so a
/// flood never reallocates a growing array (no large-object-heap churn) and an idle service holds none.
/// </summary>
internal sealed class MailSegment
{
    /// <summary>
    /// 32 slots of 24 bytes: 792 bytes. A mailbox usually holds a few messages, and each turn's detach starts a new
    /// segment for what arrives meanwhile, so many small segments serve better than a few large ones: a fan-out to
    /// 1 000 mailboxes keeps thousands alive at once, and the pool holds four times as many for the same memory.
    /// </summary>
    public const int Size = 32;

    public readonly Envelope[] Items = new Envelope[Size];
    public int Count;
    public MailSegment? Next;
}

/// <summary>The node's spare mail segments. Bounded, so a past flood does not keep its memory forever.</summary>
internal sealed class MailSegmentPool(int capacity)
{
    readonly ConcurrentQueue<MailSegment> _free = new();
    int _count;

    public MailSegment Rent()
    {
        if (_free.TryDequeue(out var segment))
        {
            Interlocked.Decrement(ref _count);
            return segment;
        }
        return new MailSegment();
    }

    /// <summary>Takes back a drained segment; its slots were already cleared as they were read.</summary>
    public void Return(MailSegment segment)
    {
        segment.Count = 0;
        segment.Next = null;
        if (Interlocked.Increment(ref _count) <= capacity) _free.Enqueue(segment);
        else Interlocked.Decrement(ref _count);
    }
}
