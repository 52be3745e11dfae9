namespace Skynet.Net;

/// <summary>
/// The limits no network input may break, for one node: descriptors kept free, bytes queued for sending, and how
/// long a graceful close waits. Read and change them with <see cref="For"/> before the node opens sockets (changes
/// apply to later decisions at once).
/// </summary>
public sealed class NetLimits
{
    long _sendBudget = DefaultSendBudget();
    int _descriptorHeadroom;
    TimeSpan _flushTimeout = NetSocket.DefaultFlushTimeout;

    internal NetLimits() { }

    /// <summary>The limits of <paramref name="node"/>.</summary>
    public static NetLimits For(SkynetNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return SocketServer.For(node).Limits;
    }

    /// <summary>
    /// Descriptors kept free: listeners stop accepting when fewer than this many would be left below the process's
    /// descriptor limit, and resume when sockets close. 0 (the default) means an eighth of the limit, 32..4096.
    /// Sockets the node opens itself (connect, listen, UDP) may use half of the headroom.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int DescriptorHeadroom
    {
        get => _descriptorHeadroom;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _descriptorHeadroom = value;
        }
    }

    /// <summary>
    /// The most bytes queued for sending on all of the node's sockets together, on top of each socket's own limit.
    /// Past it, the connections with the largest (then oldest) backlogs are closed with an error until the total is
    /// back under 90 % of it. Default: a sixteenth of the memory available to the process, 32 MiB..512 MiB (the
    /// process's resident memory peaks at about twice what is queued: the gate's and agents' copies are alive too).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public long SendBudget
    {
        get => Interlocked.Read(ref _sendBudget);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            Interlocked.Exchange(ref _sendBudget, value);
        }
    }

    /// <summary>How long a graceful close waits for queued output before it is forced with an Error event (default 10 s).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan FlushTimeout
    {
        get => _flushTimeout;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            _flushTimeout = value;
        }
    }

    /// <summary>
    /// Whether the reads, accepts and sends of the node's plain (not TLS) sockets complete on .NET's socket event
    /// thread, as skynet's socket thread handles them, instead of being queued to the thread pool first (one thread
    /// hand-off less per event; at one frame in flight it cut the gate round trip by half). Their completions only
    /// read, post a message and start the next wait; services get the data as messages on their workers. Default
    /// true; applies to sockets started afterwards; no effect on Windows.
    /// </summary>
    public bool InlineSocketCompletions { get; set; } = true;

    static long DefaultSendBudget() =>
        Math.Clamp(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 16, 32L << 20, 512L << 20);
}
