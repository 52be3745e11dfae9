using Microsoft.Extensions.Logging;

namespace Skynet.Testing;

/// <summary>
/// Keeps every line a node logs, by service, so a test can read what one service said, wait for a line, and
/// check that nothing failed. Give it to a node as its logger provider (<see cref="SkynetTestNode"/> does).
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    readonly Lock _lock = new();
    readonly List<LogEntry> _entries = [];
    readonly List<(Func<LogEntry, bool> Match, TaskCompletionSource<LogEntry> Found)> _waiters = [];

    /// <summary>Also writes each line here as it arrives (for example xunit's <c>ITestOutputHelper.WriteLine</c>).</summary>
    public Action<string>? Output { get; set; }

    /// <summary>Every line so far, in the order they were written.</summary>
    public IReadOnlyList<LogEntry> Entries
    {
        get { lock (_lock) return [.. _entries]; }
    }

    /// <summary>The lines <paramref name="service"/> wrote.</summary>
    public IReadOnlyList<LogEntry> For(Address service)
    {
        lock (_lock) return _entries.FindAll(entry => entry.Service == service);
    }

    /// <summary>The lines at <see cref="LogLevel.Error"/> or above: failed coroutines, handlers, starts and exit hooks.</summary>
    public IReadOnlyList<LogEntry> Failures
    {
        get { lock (_lock) return _entries.FindAll(static entry => entry.IsFailure); }
    }

    /// <summary>Waits for a line that matches, including one written before the call.</summary>
    /// <exception cref="TimeoutException">No such line within <paramref name="timeout"/> (default 30 s of real time).</exception>
    public async Task<LogEntry> WaitForAsync(Func<LogEntry, bool> match, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(match);
        var found = new TaskCompletionSource<LogEntry>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            var seen = _entries.Find(entry => match(entry));
            if (seen is not null) return seen;
            _waiters.Add((match, found));
        }
        var limit = timeout ?? SkynetTestNode.DefaultWaitTimeout;
        try
        {
            return await found.Task.WaitAsync(limit).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            lock (_lock) _waiters.RemoveAll(waiter => waiter.Found == found);
            throw new TimeoutException($"No matching log line within {limit}. Lines so far:{Describe(Entries)}");
        }
    }

    /// <summary>Throws when any line at <see cref="LogLevel.Error"/> or above was written, listing them.</summary>
    /// <exception cref="UnhandledFailureException">Something failed inside the node.</exception>
    public void AssertNoFailures()
    {
        var failures = Failures;
        if (failures.Count > 0)
            throw new UnhandledFailureException($"{failures.Count} failure(s) were logged inside the node:{Describe(failures)}", failures);
    }

    /// <summary>Forgets the lines captured so far (waiters stay).</summary>
    public void Clear()
    {
        lock (_lock) _entries.Clear();
    }

    internal void Add(LogEntry entry)
    {
        List<TaskCompletionSource<LogEntry>>? matched = null;
        lock (_lock)
        {
            _entries.Add(entry);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (!_waiters[i].Match(entry)) continue;
                (matched ??= []).Add(_waiters[i].Found);
                _waiters.RemoveAt(i);
            }
        }
        if (matched is not null) foreach (var found in matched) found.TrySetResult(entry);
        Output?.Invoke(entry.ToString());
    }

    static string Describe(IReadOnlyList<LogEntry> entries) =>
        entries.Count == 0 ? " (none)" : string.Concat(entries.Select(static entry => Environment.NewLine + "  " + entry));

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new CaptureLogger(this, categoryName);

    /// <inheritdoc/>
    public void Dispose() { }

    sealed class CaptureLogger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Address? service = null;
            string? message = null;
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    if (key == "Address") service = value switch { Address a => a, string s when Address.TryParse(s, out var parsed) => parsed, _ => null };
                    else if (key == "Message" && value is string text) message = text;
                }
            }
            capture.Add(new LogEntry(logLevel, category, service, message ?? formatter(state, exception), exception));
        }
    }
}
