using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Skynet.ClusterTests;

/// <summary>A started node with its log lines captured; every wait goes through <see cref="Within"/>.</summary>
public sealed class Node : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public Node(string name = "node")
    {
        Logs = new LogCapture();
        Skynet = new SkynetNode(new SkynetOptions { Threads = 2, LoggerFactory = Logs.Factory, NodeName = name });
        Skynet.Start();
    }

    public SkynetNode Skynet { get; }
    public LogCapture Logs { get; }
    public ClusterClient Cluster => global::Skynet.Cluster.For(Skynet);

    public static Task<T> Within<T>(Task<T> task) => task.WaitAsync(Patience);
    public static Task<T> Within<T>(ValueTask<T> task) => task.AsTask().WaitAsync(Patience);
    public static Task Within(Task task) => task.WaitAsync(Patience);

    /// <summary>Starts a service with a "lua" handler.</summary>
    public Task<Address> Spawn(Func<LuaService, Message, ValueTask> handler) => Skynet.NewService(new LuaService(handler));

    /// <summary>Runs <paramref name="body"/> inside a fresh service and returns its result.</summary>
    public async Task<T> Inside<T>(Func<LuaService, ValueTask<T>> body)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        await Skynet.NewService(new LuaService(null, self => self.Fork(async () =>
        {
            try { result.TrySetResult(await body(self)); }
            catch (Exception ex) { result.TrySetException(ex); }
        })));
        return await Within(result.Task);
    }

    public async ValueTask DisposeAsync() => await Skynet.StopAsync(TimeSpan.FromSeconds(2));
}

/// <summary>A service whose "lua" handler is a delegate.</summary>
public sealed class LuaService(Func<LuaService, Message, ValueTask>? handler, Action<LuaService>? start = null) : Service
{
    protected override ValueTask OnStart(object?[] args)
    {
        if (handler is not null) Dispatch(PType.Lua, m => handler(this, m));
        start?.Invoke(this);
        return default;
    }
}

/// <summary>Collects log lines and lets a test wait for one.</summary>
public sealed class LogCapture : ILoggerProvider
{
    readonly ConcurrentQueue<string> _lines = new();
    readonly List<(string Fragment, TaskCompletionSource<string> Seen)> _waiters = [];

    public LogCapture() => Factory = LoggerFactory.Create(b => b.AddProvider(this).SetMinimumLevel(LogLevel.Debug));

    public ILoggerFactory Factory { get; }

    public IReadOnlyList<string> Lines => [.. _lines];

    public Task<string> WaitFor(string fragment)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            foreach (var line in _lines)
                if (line.Contains(fragment, StringComparison.Ordinal)) { seen.TrySetResult(line); return seen.Task; }
            _waiters.Add((fragment, seen));
        }
        return seen.Task.WaitAsync(Node.Patience);
    }

    void Add(string text)
    {
        lock (_waiters)
        {
            _lines.Enqueue(text);
            foreach (var (fragment, seen) in _waiters)
                if (text.Contains(fragment, StringComparison.Ordinal)) seen.TrySetResult(text);
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose() { }

    sealed class Logger(LogCapture owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(formatter(state, exception));
    }
}
