using Microsoft.Extensions.Logging;

namespace Skynet.Net;

/// <summary>
/// The process's file descriptors as a budget the socket layer never overdraws. Descriptors belong to the process,
/// not to a node, so one budget serves every node in it. Listeners stop accepting when fewer than a headroom of
/// descriptors would be left, and resume when sockets close: the kernel keeps the waiting connections in the listen
/// backlog (and then refuses them), so no input from the network can make the process reach its limit.
/// </summary>
internal sealed class DescriptorBudget
{
    /// <summary>The process's budget.</summary>
    public static readonly DescriptorBudget Process = new(ReadLimit(), CountOpenDescriptors());

    readonly Lock _lock = new();
    TaskCompletionSource? _room;
    int _open;
    bool _exhausted;
    long _pauses;

    /// <summary>A budget of <paramref name="limit"/> descriptors of which <paramref name="baseline"/> are in use by other things than sockets.</summary>
    internal DescriptorBudget(long limit, int baseline)
    {
        Limit = limit;
        Baseline = baseline;
    }

    /// <summary>The soft descriptor limit (<c>RLIMIT_NOFILE</c>) when the budget was made; <see cref="long.MaxValue"/> where there is none.</summary>
    public long Limit { get; private set; }

    /// <summary>Descriptors the process held before its first socket (runtime, log files, pipes).</summary>
    public int Baseline { get; }

    /// <summary>Sockets open now in the process.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>True during an episode: listeners paused and not enough descriptors came back yet.</summary>
    public bool Exhausted { get { lock (_lock) return _exhausted; } }

    /// <summary>How many times listeners stopped accepting because the budget ran out (episodes, not connections).</summary>
    public long Pauses => Interlocked.Read(ref _pauses);

    /// <summary>The default headroom: an eighth of the limit, at least 32 descriptors, at most 4096.</summary>
    public long DefaultHeadroom => Limit == long.MaxValue ? 4096 : Math.Clamp(Limit / 8, 32, 4096);

    /// <summary>Sockets that may be open before listeners pause, for a node whose headroom is <paramref name="headroom"/> (0: default).</summary>
    public long AcceptCeiling(int headroom) => Limit == long.MaxValue ? long.MaxValue : Limit - Baseline - (headroom > 0 ? headroom : DefaultHeadroom);

    /// <summary>Called after the soft limit was raised, so the budget uses the new one.</summary>
    public void Refresh()
    {
        if (DescriptorLimit.Read() is { } limits) lock (_lock) Limit = limits.Soft;
    }

    /// <summary>
    /// Takes one descriptor for a socket about to be accepted; false when that would enter the headroom (the caller
    /// waits with <see cref="WaitForRoom"/>). The first refusal of an episode is logged and counted.
    /// </summary>
    public bool TryTakeForAccept(int headroom, ILogger logger)
    {
        var ceiling = AcceptCeiling(headroom);
        if (Interlocked.Increment(ref _open) <= ceiling) return true;
        Interlocked.Decrement(ref _open);
        bool first;
        lock (_lock)
        {
            first = !_exhausted;
            _exhausted = true;
        }
        if (first)
        {
            Interlocked.Increment(ref _pauses);
            NetMetrics.AcceptPauses.Add(1);
            logger.LogWarning(
                "Descriptor budget: {Open} sockets open of {Ceiling} allowed (limit {Limit}, {Baseline} other descriptors, headroom {Headroom}); listeners stop accepting until sockets close",
                Open, ceiling, Limit, Baseline, Limit - Baseline - ceiling);
        }
        return false;
    }

    /// <summary>
    /// Takes one descriptor for a socket this node opens itself (listen, connect, UDP). These may use half of the
    /// headroom, so a node that stopped accepting can still reach its databases and cluster peers.
    /// </summary>
    public bool TryTakeForOpen(int headroom)
    {
        var ceiling = AcceptCeiling(headroom);
        if (ceiling != long.MaxValue) ceiling += (Limit - Baseline - ceiling) / 2;
        if (Interlocked.Increment(ref _open) <= ceiling) return true;
        Interlocked.Decrement(ref _open);
        return false;
    }

    /// <summary>Gives back a socket's descriptor; wakes paused listeners.</summary>
    public void Release()
    {
        Interlocked.Decrement(ref _open);
        TaskCompletionSource? room;
        lock (_lock)
        {
            room = _room;
            _room = null;
        }
        room?.TrySetResult();
    }

    /// <summary>Completes when a socket closes (then try again).</summary>
    public Task WaitForRoom()
    {
        lock (_lock)
        {
            return (_room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    /// <summary>
    /// A listener accepted again after a pause. The episode ends (logged once) only when a tenth of the ceiling is
    /// free again, so a node hovering at its budget logs one episode rather than one per closed socket.
    /// </summary>
    public void Resumed(int headroom, ILogger logger)
    {
        var ceiling = AcceptCeiling(headroom);
        if (Open > ceiling - Math.Max(1, ceiling / 10)) return;
        lock (_lock)
        {
            if (!_exhausted) return;
            _exhausted = false;
        }
        logger.LogInformation("Descriptor budget: {Open} sockets open; listeners accept again", Open);
    }

    static int s_raised;

    /// <summary>
    /// Raises the soft descriptor limit to the hard one, once per process, and logs the result (called when a node
    /// starts, as Go's runtime does when a program starts).
    /// </summary>
    public static void RaiseLimit(ILogger logger)
    {
        if (Interlocked.Exchange(ref s_raised, 1) != 0) return;
        if (DescriptorLimit.RaiseSoftToHard() is not { } result) return;
        if (result.Error is { } error)
            logger.LogWarning("Descriptor limit stays at {Limit}: {Error}", result.Before, error);
        else if (result.After != result.Before)
            logger.LogInformation("Descriptor limit raised from {Before} to {After} (the hard limit)", result.Before, result.After);
        else
            logger.LogInformation("Descriptor limit is {Limit} (already the hard limit)", result.After);
        Process.Refresh();
    }

    static long ReadLimit() => DescriptorLimit.Read() is { } limits ? limits.Soft : long.MaxValue;

    /// <summary>Descriptors open now (Linux: entries of <c>/proc/self/fd</c>); a guess of 64 elsewhere.</summary>
    static int CountOpenDescriptors()
    {
        try
        {
            if (Directory.Exists("/proc/self/fd")) return Directory.GetFileSystemEntries("/proc/self/fd").Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        return 64;
    }
}
