using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Skynet.Runtime.Tests.TestSupport;

/// <summary>A started node with a log capture, stopped at dispose. Every wait in tests goes through <see cref="Within"/>.</summary>
public sealed class TestNode : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public TestNode(int threads = 2, Action<SkynetOptions>? configure = null, uint maxLocalId = Address.LocalMask)
    {
        Logs = new LogCapture();
        var options = new SkynetOptions { Threads = threads, LoggerFactory = Logs.Factory };
        configure?.Invoke(options);
        Node = new SkynetNode(options, maxLocalId);
        Node.Start();
    }

    public SkynetNode Node { get; }
    public LogCapture Logs { get; }

    /// <summary>Starts an inline-defined service.</summary>
    public Task<Address> Spawn(Func<TestService, object?[], ValueTask> start, params object?[] args) =>
        Node.NewService(new TestService(start), args);

    /// <summary>Starts a service whose LUA handler is <paramref name="handler"/>.</summary>
    public Task<Address> SpawnHandler(Func<TestService, Message, ValueTask> handler) =>
        Spawn((self, _) => { self.Dispatch(PType.Lua, m => handler(self, m)); return default; });

    /// <summary>Runs <paramref name="body"/> inside a fresh service and returns its result to the test.</summary>
    public async Task<T> Inside<T>(Func<TestService, ValueTask<T>> body)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        await Spawn((self, _) =>
        {
            self.Fork(async () =>
            {
                try { result.TrySetResult(await body(self)); }
                catch (Exception ex) { result.TrySetException(ex); }
            });
            return default;
        });
        return await Within(result.Task);
    }

    public static async Task<T> Within<T>(Task<T> task) => await task.WaitAsync(Patience);
    public static async Task Within(Task task) => await task.WaitAsync(Patience);

    public async ValueTask DisposeAsync() => await Node.StopAsync(TimeSpan.FromSeconds(2));
}

/// <summary>A service defined by a delegate, so each test states its behaviour inline.</summary>
public sealed class TestService(Func<TestService, object?[], ValueTask>? start = null, Func<TestService, ValueTask>? exit = null) : Service
{
    public Func<TestService, ValueTask>? ExitHook { get; set; } = exit;

    protected override ValueTask OnStart(object?[] args) => start?.Invoke(this, args) ?? default;

    protected override ValueTask OnExit() => ExitHook?.Invoke(this) ?? default;
}

/// <summary>Collects log lines and lets a test wait for one.</summary>
public sealed class LogCapture : ILoggerProvider
{
    readonly ConcurrentQueue<(LogLevel Level, string Text)> _lines = new();
    readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Seen)> _waiters = [];

    public LogCapture() => Factory = LoggerFactory.Create(b => b.AddProvider(this).SetMinimumLevel(LogLevel.Debug));

    public ILoggerFactory Factory { get; }

    public IReadOnlyList<(LogLevel Level, string Text)> Lines => [.. _lines];

    public bool Contains(string fragment) => _lines.Any(l => l.Text.Contains(fragment, StringComparison.Ordinal));

    /// <summary>Completes with the first line (past or future) containing <paramref name="fragment"/>.</summary>
    public Task<string> WaitFor(string fragment) => WaitFor(text => text.Contains(fragment, StringComparison.Ordinal));

    public Task<string> WaitFor(Func<string, bool> match)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            foreach (var line in _lines)
                if (match(line.Text)) { seen.TrySetResult(line.Text); return seen.Task; }
            _waiters.Add((match, seen));
        }
        return seen.Task;
    }

    void Add(LogLevel level, string text)
    {
        lock (_waiters)
        {
            _lines.Enqueue((level, text));
            foreach (var (match, seen) in _waiters)
                if (match(text)) seen.TrySetResult(text);
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose() { }

    sealed class Logger(LogCapture owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(logLevel, formatter(state, exception));
    }
}
