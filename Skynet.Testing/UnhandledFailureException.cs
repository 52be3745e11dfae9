namespace Skynet.Testing;

/// <summary>Thrown by <see cref="LogCapture.AssertNoFailures"/>: a service logged a failure (an exception nobody caught).</summary>
public sealed class UnhandledFailureException(string message, IReadOnlyList<LogEntry> failures) : Exception(message)
{
    /// <summary>The failure lines, in order.</summary>
    public IReadOnlyList<LogEntry> Failures { get; } = failures;
}
