using Microsoft.Extensions.Logging;

namespace Skynet;

/// <summary>
/// Aggregates repeated log lines: the first line of a kind in a window is written, the rest of the window only
/// counted, and when the window ends one summary says "... repeated N times in 10 s". A "kind" is a key the caller
/// chooses (a message template, an exception type and handler), so lines that differ only in an fd are one kind.
/// </summary>
/// <remarks>
/// Without it, 100 clients that stop reading produce tens of thousands of identical socket warnings, and a handler
/// that fails for every message writes a stack trace per message. Memory is bounded: at most
/// <see cref="MaxKinds"/> kinds are tracked; past that, lines of new kinds are counted into one "other" summary.
/// </remarks>
internal sealed class LogThrottle : IDisposable
{
    /// <summary>The most kinds tracked at once.</summary>
    public const int MaxKinds = 1024;

    /// <summary>The window of the node's throttles.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(10);

    const string OtherKind = "(other log lines past the aggregation limit)";

    readonly TimeSpan _window;
    readonly TimeProvider _time;
    readonly Dictionary<string, Kind> _kinds = new(StringComparer.Ordinal);
    readonly Lock _lock = new();
    readonly ITimer? _timer;

    /// <summary>A throttle with its own flush timer (pass <paramref name="autoFlush"/> false in tests, which call <see cref="Flush"/>).</summary>
    public LogThrottle(TimeSpan window, TimeProvider? time = null, bool autoFlush = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        _window = window;
        _time = time ?? TimeProvider.System;
        if (autoFlush) _timer = _time.CreateTimer(static state => ((LogThrottle)state!).Flush(), this, window, window);
    }

    /// <summary>
    /// Writes <paramref name="message"/> through <paramref name="write"/> unless a line of <paramref name="kind"/> was
    /// written less than a window ago; then it is only counted (and <paramref name="write"/> remembered for the summary).
    /// </summary>
    /// <returns>True when the line was written.</returns>
    public bool Log(string kind, LogLevel level, string message, Exception? exception, Action<LogLevel, string, Exception?> write)
    {
        var now = _time.GetTimestamp();
        Kind? expired = null;
        lock (_lock)
        {
            if (_kinds.TryGetValue(kind, out var entry))
            {
                if (_time.GetElapsedTime(entry.Since, now) < _window)
                {
                    entry.Suppressed++;
                    entry.Level = level;
                    entry.Write = write;
                    return false;
                }
                if (entry.Suppressed > 0) expired = entry.Copy();
                entry.Since = now;
                entry.Suppressed = 0;
                entry.Level = level;
                entry.Write = write; // the new window's summary goes where its lines go
            }
            else if (_kinds.Count < MaxKinds)
            {
                _kinds[kind] = new Kind(kind, now, level, write);
            }
            else if (_kinds.TryGetValue(OtherKind, out var other))
            {
                other.Suppressed++;
                return false;
            }
            else
            {
                _kinds[OtherKind] = new Kind(OtherKind, now, level, write) { Suppressed = 1 };
                return false;
            }
        }
        if (expired is not null) Summarize(expired);
        write(level, message, exception);
        return true;
    }

    /// <summary>Writes the summaries of windows that ended and forgets idle kinds.</summary>
    public void Flush()
    {
        var now = _time.GetTimestamp();
        List<Kind>? due = null;
        lock (_lock)
        {
            List<string>? idle = null;
            foreach (var entry in _kinds.Values)
            {
                if (_time.GetElapsedTime(entry.Since, now) < _window) continue;
                if (entry.Suppressed > 0) (due ??= []).Add(entry.Copy());
                (idle ??= []).Add(entry.Key);
            }
            if (idle is not null) foreach (var key in idle) _kinds.Remove(key);
        }
        if (due is not null) foreach (var entry in due) Summarize(entry);
    }

    void Summarize(Kind entry) =>
        entry.Write(entry.Level, $"{entry.Key} ... repeated {entry.Suppressed} times in {_window.TotalSeconds:0.#} s", null);

    /// <inheritdoc/>
    public void Dispose()
    {
        _timer?.Dispose();
        Flush();
    }

    sealed class Kind(string key, long since, LogLevel level, Action<LogLevel, string, Exception?> write)
    {
        public readonly string Key = key;
        public long Since = since;
        public LogLevel Level = level;
        public Action<LogLevel, string, Exception?> Write = write;
        public int Suppressed;

        public Kind Copy() => new(Key, Since, Level, Write) { Suppressed = Suppressed };
    }
}
