using System.Collections.Concurrent;

namespace Skynet;

/// <summary>
/// A fixed block of mailbox slots. Mailboxes chain them and hand drained ones back to the node's pool, so a
/// flood never reallocates a growing array (no large-object-heap churn) and an idle service holds none.
/// </summary>
internal sealed class MailSegment
{
    /// <summary>128 slots of 24 bytes: 3 KB, far below the large-object threshold.</summary>
    public const int Size = 128;

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
