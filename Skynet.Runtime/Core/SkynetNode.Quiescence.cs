namespace Skynet;

public sealed partial class SkynetNode
{
    /// <summary>
    /// True when, at one moment, no service has mail waiting and no worker is running a turn: everything the node
    /// was given has been handled, and only timers (and work outside the node, such as sockets or
    /// <c>Task.Run</c>) can make it busy again. Test kits wait for this before advancing a virtual clock.
    /// </summary>
    /// <remarks>
    /// Worker turn flags and message versions are read before and after the mailboxes: a message taken from a
    /// mailbox between the two reads is either still in a turn at the second read or has changed a version.
    /// </remarks>
    public bool IsQuiescent()
    {
        if (!TryReadWorkers(out var before)) return false;
        foreach (var service in _registry.Snapshot())
            if (service.QueueLength > 0) return false;
        return TryReadWorkers(out var after) && after == before;
    }

    /// <summary>How long until the earliest pending timer is due on the node's clock (zero when overdue), or null when none is pending.</summary>
    public TimeSpan? NextTimerDue
    {
        get
        {
            if (Timers.NextDue is not { } due) return null;
            var time = Options.TimeProvider;
            var ticks = Math.Max(0, due - time.GetTimestamp());
            return TimeSpan.FromTicks((long)Math.Ceiling(ticks * (double)TimeSpan.TicksPerSecond / time.TimestampFrequency));
        }
    }

    bool TryReadWorkers(out long versions)
    {
        versions = 0;
        foreach (var worker in Scheduler.Workers)
        {
            if (Volatile.Read(ref worker.InTurn)) return false;
            versions += worker.Version;
        }
        return true;
    }
}
