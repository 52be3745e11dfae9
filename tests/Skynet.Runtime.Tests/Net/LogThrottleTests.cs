using Microsoft.Extensions.Logging;

namespace Skynet.Runtime.Tests.Net;

/// <summary>Repeated identical warnings become one line and one "repeated N times in 10 s" summary.</summary>
public sealed class LogThrottleTests
{
    readonly List<(LogLevel Level, string Text, Exception? Exception)> _written = [];

    void Write(LogLevel level, string text, Exception? exception) => _written.Add((level, text, exception));

    [Fact]
    public void The_first_line_of_a_kind_is_written_and_the_rest_summarized_when_the_window_ends()
    {
        var time = new ManualClock();
        using var throttle = new LogThrottle(TimeSpan.FromSeconds(10), time, autoFlush: false);
        for (var fd = 0; fd < 24000; fd++)
            throttle.Log("socket warning", LogLevel.Warning, $"socket warning {fd}", null, Write);
        Assert.Equal([(LogLevel.Warning, "socket warning 0", (Exception?)null)], _written);

        time.Advance(TimeSpan.FromSeconds(10));
        throttle.Flush();
        Assert.Equal(2, _written.Count);
        Assert.Equal("socket warning ... repeated 23999 times in 10 s", _written[1].Text);

        // A new window starts with a full line again.
        throttle.Log("socket warning", LogLevel.Warning, "socket warning again", null, Write);
        Assert.Equal("socket warning again", _written[^1].Text);
    }

    [Fact]
    public void Only_the_first_failure_of_a_kind_carries_its_stack_trace()
    {
        var time = new ManualClock();
        using var throttle = new LogThrottle(TimeSpan.FromSeconds(10), time, autoFlush: false);
        var failure = new InvalidOperationException("boom");
        for (var i = 0; i < 200_000; i++)
            throttle.Log("handler failed: InvalidOperationException", LogLevel.Error, $"handler failed for client {i}", failure, Write);
        Assert.Single(_written);
        Assert.Same(failure, _written[0].Exception);
        time.Advance(TimeSpan.FromSeconds(11));
        throttle.Log("handler failed: InvalidOperationException", LogLevel.Error, "handler failed for client x", failure, Write);
        Assert.Equal(3, _written.Count); // the summary of the old window, then the new first line
        Assert.Equal("handler failed: InvalidOperationException ... repeated 199999 times in 10 s", _written[1].Text);
        Assert.Null(_written[1].Exception);
    }

    [Fact]
    public void Different_kinds_are_independent_and_their_number_is_bounded()
    {
        var time = new ManualClock();
        using var throttle = new LogThrottle(TimeSpan.FromSeconds(10), time, autoFlush: false);
        throttle.Log("a", LogLevel.Warning, "a", null, Write);
        throttle.Log("b", LogLevel.Warning, "b", null, Write);
        Assert.Equal(2, _written.Count);
        for (var i = 0; i < LogThrottle.MaxKinds * 3; i++) throttle.Log($"kind {i}", LogLevel.Warning, $"kind {i}", null, Write);
        Assert.True(_written.Count <= LogThrottle.MaxKinds + 2, $"{_written.Count} lines for {LogThrottle.MaxKinds * 3} kinds");
        time.Advance(TimeSpan.FromSeconds(10));
        throttle.Flush();
        Assert.Contains(_written, w => w.Text.Contains("past the aggregation limit", StringComparison.Ordinal));
    }
}

/// <summary>A clock the test moves by hand (only timestamps; the throttle's own timer is off in these tests).</summary>
sealed class ManualClock : TimeProvider
{
    long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks;

    public void Advance(TimeSpan by) => _ticks += by.Ticks;
}
