using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Skynet.Testing;

/// <summary>
/// A started <see cref="SkynetNode"/> for a test, on a virtual clock, with its logs captured; stopped at dispose.
/// </summary>
/// <remarks>
/// <para>
/// Time inside the node (<c>Sleep</c>, <c>Timeout</c>, call timeouts, <c>Now</c>, <c>Time</c>, <c>StartTime</c>) comes from
/// <see cref="Clock"/>, a <see cref="FakeTimeProvider"/> that stands still until the test moves it.
/// <see cref="AdvanceAsync"/> moves it timer by timer and lets the node settle after each, so an hour of
/// one-minute ticks takes 60 steps and no real hour.
/// </para>
/// <para>
/// Every wait of the kit is bounded by <see cref="WaitTimeout"/> of real time, so a bug fails the test instead of
/// hanging it. Code that runs outside the node's services (<c>Task.Run</c>, <c>Task.Delay</c>, sockets) is not
/// seen by the quiescence checks and runs on real time.
/// </para>
/// </remarks>
public sealed class SkynetTestNode : IAsyncDisposable
{
    /// <summary>How long the kit waits, in real time, before a wait fails: 30 seconds.</summary>
    public static readonly TimeSpan DefaultWaitTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Where the virtual clock starts unless told otherwise: 2026-01-01 00:00:00 UTC.</summary>
    public static readonly DateTimeOffset DefaultStartTime = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    readonly ILoggerFactory _loggerFactory;

    /// <summary>Creates and starts a node with two worker threads on a virtual clock.</summary>
    /// <param name="configure">Changes the options before the node starts (threads, harbor, env, a service factory...).</param>
    /// <param name="startTime">The virtual clock's start (default <see cref="DefaultStartTime"/>).</param>
    public SkynetTestNode(Action<SkynetOptions>? configure = null, DateTimeOffset? startTime = null)
    {
        Clock = new FakeTimeProvider(startTime ?? DefaultStartTime);
        Logs = new LogCapture();
        _loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
        var options = new SkynetOptions { Threads = 2, NodeName = "test", TimeProvider = Clock, LoggerFactory = _loggerFactory };
        configure?.Invoke(options);
        Node = new SkynetNode(options);
        Node.Start();
    }

    /// <summary>The node under test.</summary>
    public SkynetNode Node { get; }

    /// <summary>The node's clock; it moves only when the test moves it (prefer <see cref="AdvanceAsync"/>).</summary>
    public FakeTimeProvider Clock { get; }

    /// <summary>Every line the node and its services logged.</summary>
    public LogCapture Logs { get; }

    /// <summary>The real-time bound of every wait of this node (default <see cref="DefaultWaitTimeout"/>).</summary>
    public TimeSpan WaitTimeout { get; set; } = DefaultWaitTimeout;

    /// <summary>Starts a service of type <typeparamref name="T"/> and waits for its <c>OnStart</c>.</summary>
    public Task<Address> NewServiceAsync<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(params object?[] args) where T : Service =>
        Node.NewService<T>(args).WaitAsync(WaitTimeout);

    /// <summary>Starts a registered service by name and waits for its <c>OnStart</c>.</summary>
    public Task<Address> NewServiceAsync(string name, params object?[] args) => Node.NewService(name, args).WaitAsync(WaitTimeout);

    /// <summary>Starts a service instance you built (one with constructor arguments) and waits for its <c>OnStart</c>.</summary>
    public Task<Address> NewServiceAsync(Service instance, params object?[] args) => Node.NewService(instance, args).WaitAsync(WaitTimeout);

    /// <summary>Starts a service whose <see cref="PType.Lua"/> messages go to <paramref name="handler"/>: a fake collaborator in one line.</summary>
    public Task<Address> NewServiceAsync(MessageHandlerWithSelf handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return NewServiceAsync(new InlineService(self =>
        {
            self.Dispatch(PType.Lua, message => handler(self, message));
            return default;
        }));
    }

    /// <summary>Starts a <see cref="TestProbe"/> that answers requests with <paramref name="reply"/> (null by default).</summary>
    public async Task<TestProbe> NewProbeAsync(Func<Message, object?>? reply = null)
    {
        var probe = new TestProbe { Reply = reply };
        await NewServiceAsync(probe).ConfigureAwait(false);
        return probe;
    }

    /// <summary>Sends a <see cref="PType.Lua"/> argument list from outside the node.</summary>
    /// <returns>False when nothing lives at <paramref name="destination"/>.</returns>
    public bool Send(Address destination, params object?[] args) => Node.Send(destination, args);

    /// <summary>Calls a service from outside the node with a <see cref="PType.Lua"/> argument list and waits for the reply.</summary>
    /// <exception cref="CallFailedException">The call failed inside the node.</exception>
    /// <exception cref="TimeoutException">No reply within <see cref="WaitTimeout"/> of real time.</exception>
    public Task<object?> CallAsync(Address destination, params object?[] args) => Node.Call(destination, args).WaitAsync(WaitTimeout);

    /// <summary>
    /// Runs <paramref name="body"/> as a coroutine inside a fresh service and returns its result: the way to test code
    /// that needs a service's API (<c>Call</c> with a timeout, <c>Sleep</c>, <c>Snax</c> proxies). The service exits afterwards.
    /// </summary>
    public async Task<T> RunInsideAsync<T>(Func<Service, ValueTask<T>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        await NewServiceAsync(new InlineService(self =>
        {
            self.Fork(async () =>
            {
                try { result.TrySetResult(await body(self)); }
                catch (Exception ex) { result.TrySetException(ex); }
                finally { self.Exit(); }
            });
            return default;
        })).ConfigureAwait(false);
        return await result.Task.WaitAsync(WaitTimeout).ConfigureAwait(false);
    }

    /// <summary>Waits until no service has mail waiting and no handler runs (<see cref="SkynetNode.IsQuiescent"/>).</summary>
    /// <exception cref="TimeoutException">The node was still busy after <see cref="WaitTimeout"/> of real time.</exception>
    public Task WaitForIdleAsync() => WaitUntilAsync(Node.IsQuiescent, "the node to become idle");

    /// <summary>
    /// Waits until <paramref name="service"/> has handled at least <paramref name="count"/> messages, counted as
    /// <see cref="ServiceInfo.MessageCount"/> counts them (its start message, replies and timers included).
    /// For exact counts of what arrives, send to a <see cref="TestProbe"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The service is gone.</exception>
    public Task WaitForMessagesAsync(Address service, long count) => WaitUntilAsync(
        () => (Node.GetInfo(service) ?? throw new InvalidOperationException($"No service lives at {service}.")).MessageCount >= count,
        $"{service} to handle {count} message(s)");

    /// <summary>
    /// Waits until <paramref name="condition"/> holds, checking it whenever the test thread gets to run; use it for
    /// state no event reports. Prefer awaiting a task, a <see cref="TestProbe"/> or <see cref="LogCapture.WaitForAsync"/>.
    /// </summary>
    /// <exception cref="TimeoutException">It did not hold within <see cref="WaitTimeout"/> of real time.</exception>
    public async Task WaitUntilAsync(Func<bool> condition, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = TimeProvider.System.GetTimestamp();
        for (var attempt = 0; !condition(); attempt++)
        {
            if (TimeProvider.System.GetElapsedTime(deadline) > WaitTimeout)
                throw new TimeoutException($"Waited {WaitTimeout} for {what ?? "a condition"}.");
            // Give the node's workers the processor first; a blocking pause only when they keep working.
            if (attempt < 64) Thread.Yield();
            else await Task.Delay(1).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Moves the virtual clock forward by <paramref name="delta"/>, one due timer at a time: each step sets the clock to
    /// the next timer's due time, fires what is due and waits until the node is idle, so a timer set by a woken
    /// coroutine counts from the time it was woken at. Returns when the clock reads start + <paramref name="delta"/>
    /// and the node is idle.
    /// </summary>
    public async Task AdvanceAsync(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        var target = Clock.GetUtcNow() + delta;
        await WaitForIdleAsync().ConfigureAwait(false);
        while (Node.NextTimerDue is { } next && Clock.GetUtcNow() + next <= target)
        {
            Clock.Advance(next);
            await WaitForIdleAsync().ConfigureAwait(false);
        }
        var rest = target - Clock.GetUtcNow();
        if (rest > TimeSpan.Zero) Clock.Advance(rest);
        await WaitForIdleAsync().ConfigureAwait(false);
    }

    /// <summary>Throws when anything in the node logged a failure (see <see cref="LogCapture.AssertNoFailures"/>).</summary>
    public void AssertNoFailures() => Logs.AssertNoFailures();

    /// <summary>Stops the node (exit hooks run, bounded by the node's <see cref="SkynetOptions.ExitTimeout"/> of real time).</summary>
    public async ValueTask DisposeAsync()
    {
        await Node.StopAsync().ConfigureAwait(false);
        _loggerFactory.Dispose();
    }
}
