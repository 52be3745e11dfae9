using Microsoft.Extensions.Logging;

namespace Skynet;

/// <summary>
/// Node settings; bound from the <c>Skynet</c> configuration section by <c>AddSkynet</c>
/// (skynet's config file: <c>thread</c>, <c>harbor</c>, <c>profile</c> ...).
/// </summary>
public sealed class SkynetOptions
{
    /// <summary>Worker threads; 0 means one per processor (skynet's <c>thread</c>).</summary>
    public int Threads { get; set; }

    /// <summary>This node's id, the high 8 bits of every local address (skynet's <c>harbor</c>), 0..255.</summary>
    public int Harbor { get; set; }

    /// <summary>A name for logs and the cluster map.</summary>
    public string NodeName { get; set; } = "skynet";

    /// <summary>Measure the time each service spends in its handlers (skynet's <c>profile</c>).</summary>
    public bool Profile { get; set; }

    /// <summary>The most messages one service handles in one turn before others get a worker.</summary>
    public int MessageBudget { get; set; } = 64;

    /// <summary>A handler running longer than this is reported as a possible endless loop.</summary>
    public TimeSpan EndlessLoopThreshold { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a graceful stop waits for services' exit hooks before killing what is left.</summary>
    public TimeSpan ExitTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a <c>Call</c> (raw or a snax <c>Req</c>) waits for its reply when the caller gives no timeout; null (the
    /// default) waits as long as the callee lives, as skynet does. Configuration key <c>Skynet:CallTimeout</c>.
    /// </summary>
    public TimeSpan? CallTimeout { get; set; }

    /// <summary>
    /// The default most messages that may wait in one service's mailbox; 0 (the default) means no limit, as in skynet.
    /// A service can override it (<see cref="Service.MailboxLimit"/>). Configuration key <c>Skynet:MailboxLimit</c>.
    /// </summary>
    public int MailboxLimit { get; set; }

    /// <summary>
    /// A budget in bytes for the node's managed heap; 0 (the default) means none. Past it, new services are refused
    /// (see <see cref="SkynetNode.MemLimit"/>). Configuration key <c>Skynet:MemLimit</c>.
    /// </summary>
    public long MemLimit { get; set; }

    /// <summary>Initial environment values (<c>GetEnv</c>); configuration keys of the section are added too.</summary>
    public Dictionary<string, string> Env { get; } = new(StringComparer.Ordinal);

    /// <summary>Where the node logs; none by default. <c>AddSkynet</c> uses the host's logging.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// The node's clock: <c>Sleep</c>, <c>Timeout</c>, call timeouts, <c>Now</c>, <c>Time</c> and <c>StartTime</c> read
    /// time only through it, so a test can run the node on virtual time (a <c>FakeTimeProvider</c>).
    /// The endless-loop monitor, profiling and the shutdown grace period stay on real time: they measure threads.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Creates service instances by type where the node would call a parameterless constructor
    /// (<c>AddService&lt;T&gt;</c>, <c>NewService&lt;T&gt;</c>); null uses that constructor. <c>AddSkynet</c> sets it
    /// to construct services through the host's <see cref="IServiceProvider"/>.
    /// </summary>
    public Func<Type, Service>? ServiceFactory { get; set; }

    internal int ResolvedThreads => Threads > 0 ? Threads : Environment.ProcessorCount;

    internal void Validate()
    {
        if ((uint)Harbor > 255) throw new ArgumentOutOfRangeException(nameof(Harbor), Harbor, "A harbor id is 0..255.");
        if (Threads < 0) throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Use 0 for one thread per processor.");
        if (MessageBudget < 1) throw new ArgumentOutOfRangeException(nameof(MessageBudget), MessageBudget, "A turn handles at least one message.");
        ArgumentNullException.ThrowIfNull(TimeProvider);
        if (MemLimit < 0) throw new ArgumentOutOfRangeException(nameof(MemLimit), MemLimit, "Use 0 for no limit.");
        if (MailboxLimit < 0) throw new ArgumentOutOfRangeException(nameof(MailboxLimit), MailboxLimit, "Use 0 for no limit.");
        if (CallTimeout is { } callTimeout && callTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(CallTimeout), callTimeout, "Must be positive; leave it unset for no default timeout.");
        if (EndlessLoopThreshold <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(EndlessLoopThreshold), EndlessLoopThreshold, "Must be positive.");
    }
}
