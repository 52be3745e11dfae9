using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Skynet;

/// <summary>
/// One skynet node: the handle registry, the worker threads, the clock, names and the environment.
/// Most programs start it through <c>Host.CreateApplicationBuilder(args).AddSkynet(...)</c>; tests and tools can
/// create, <see cref="Start"/> and <see cref="StopAsync"/> it directly.
/// </summary>
public sealed partial class SkynetNode : IAsyncDisposable
{
    const int Created = 0, Started = 1, Stopping = 2, Stopped = 3;

    readonly HandleRegistry _registry;
    readonly long _startTimestamp;
    readonly CancellationTokenSource _shutdownRequested = new();
    readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    int _state;

    /// <summary>Creates a node; call <see cref="Start"/> before starting services.</summary>
    public SkynetNode(SkynetOptions? options = null) : this(options ?? new SkynetOptions(), Address.LocalMask) { }

    internal SkynetNode(SkynetOptions options, uint maxLocalId)
    {
        options.Validate();
        Options = options;
        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        Logger = loggerFactory.CreateLogger("Skynet.Node");
        ServiceLogger = loggerFactory.CreateLogger("Skynet");
        _startTimestamp = options.TimeProvider.GetTimestamp();
        StartTime = options.TimeProvider.GetUtcNow().ToUnixTimeSeconds();
        _registry = new HandleRegistry(options.Harbor, maxLocalId);
        Scheduler = new Scheduler(options.ResolvedThreads, ex => Logger.LogCritical(ex, "A worker thread failed; the node cannot continue safely."));
        Timers = new TimerService(this);
        foreach (var (key, value) in options.Env) _env[key] = value;
        _client = new ClientPort(_registry.ClientPortHandle);
        _clientHandle = _client.Handle;
        Diagnostics.SkynetMetrics.Track(this);
    }

    /// <summary>The settings this node runs with.</summary>
    public SkynetOptions Options { get; }

    /// <summary>This node's harbor id (the high 8 bits of its addresses).</summary>
    public int Harbor => Options.Harbor;

    /// <summary>Worker thread count.</summary>
    public int ThreadCount => Scheduler.ThreadCount;

    /// <summary>Signalled when a service asks the node to stop (<see cref="Shutdown"/> or <see cref="Abort"/>); the host stops on it.</summary>
    public CancellationToken ShutdownRequested => _shutdownRequested.Token;

    /// <summary>Completes when the node has stopped.</summary>
    public Task Completion => _stopped.Task;

    internal ILogger Logger { get; }
    internal ILogger ServiceLogger { get; }
    internal Scheduler Scheduler { get; }
    internal TimerService Timers { get; }
    internal MailSegmentPool MailSegments { get; } = new(capacity: 16384) /* 12 MB of 32-slot segments at most */;

    /// <summary>Centiseconds since the node started (skynet's <c>skynet.now()</c>).</summary>
    public long Now => Options.TimeProvider.GetElapsedTime(_startTimestamp).Ticks / (TimeSpan.TicksPerMillisecond * 10);

    /// <summary>Seconds since the Unix epoch, centisecond precision (skynet's <c>skynet.time()</c>).</summary>
    public double Time => StartTime + Now / 100.0;

    /// <summary>The node's start time, seconds since the Unix epoch (skynet's <c>skynet.starttime()</c>).</summary>
    public long StartTime { get; }

    /// <summary>Starts the worker threads and the clock.</summary>
    public void Start()
    {
        if (Interlocked.CompareExchange(ref _state, Started, Created) != Created)
            throw new InvalidOperationException("The node was already started.");
        Net.DescriptorBudget.RaiseLimit(Logger);
        Scheduler.Start();
        Timers.Start();
        Logger.LogInformation("Skynet node '{Node}' (harbor {Harbor}) started with {Threads} worker threads", Options.NodeName, Harbor, ThreadCount);
    }

    /// <summary>Asks the host to stop the node gracefully (exit hooks run). Returns at once.</summary>
    public void Shutdown()
    {
        Logger.LogInformation("Shutdown requested");
        _shutdownRequested.Cancel();
    }

    /// <summary>Kills every service at once, without exit hooks, and asks the host to stop (skynet's <c>skynet.abort</c>).</summary>
    public void Abort()
    {
        foreach (var service in _registry.Snapshot())
            service.RequestKill("the node aborted");
        _shutdownRequested.Cancel();
    }

    /// <summary>
    /// Stops gracefully: every service gets its <see cref="Service.OnExit"/>, up to <paramref name="exitTimeout"/>
    /// (default <see cref="SkynetOptions.ExitTimeout"/>); what is left is killed; then the workers stop.
    /// </summary>
    public async Task StopAsync(TimeSpan? exitTimeout = null)
    {
        var previous = Interlocked.CompareExchange(ref _state, Stopping, Started);
        if (previous == Created) { Interlocked.Exchange(ref _state, Stopped); _stopped.TrySetResult(); return; }
        if (previous != Started) { await _stopped.Task.ConfigureAwait(false); return; }

        var services = LiveServices();
        foreach (var service in services) service.RequestExit();
        var all = Task.WhenAll(services.Select(static s => s.Exited));
        var timeout = exitTimeout ?? Options.ExitTimeout;
        if (await Task.WhenAny(all, Task.Delay(timeout)).ConfigureAwait(false) != all)
        {
            var left = LiveServices();
            Logger.LogWarning("{Count} service(s) did not exit within {Timeout}; killing them: {Services}", left.Count, timeout, string.Join(", ", left));
            foreach (var service in left) service.RequestKill("the node stopped");
            var killed = Task.WhenAll(left.Select(static s => s.Exited));
            await Task.WhenAny(killed, Task.Delay(TimeSpan.FromSeconds(1))).ConfigureAwait(false);
        }
        Timers.Stop();
        Scheduler.Stop(TimeSpan.FromSeconds(2));
        Interlocked.Exchange(ref _state, Stopped);
        _shutdownRequested.Cancel();
        Logger.LogInformation("Skynet node '{Node}' stopped", Options.NodeName);
        _stopped.TrySetResult();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    List<Service> LiveServices() => _registry.Snapshot();

    string? NotRunningReason() => Volatile.Read(ref _state) switch
    {
        Started => null,
        Created => "Start the node before starting services.",
        _ => "The node is stopping; no new services can start.",
    };

    internal void LogFor(Address address, LogLevel level, string message, Exception? exception) =>
        ServiceLogger.Log(level, exception, "[{Address}] {Message}", address.ToString(), message);
}
