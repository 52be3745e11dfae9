using Microsoft.Extensions.Logging;

namespace Skynet.Testing;

/// <summary>One captured log line.</summary>
/// <param name="Level">Its level.</param>
/// <param name="Category">The logger category (<c>Skynet</c> for service lines, <c>Skynet.Node</c> for the node's own).</param>
/// <param name="Service">The service that wrote it (the <c>[:0000000a]</c> prefix), or null for node lines.</param>
/// <param name="Message">The text, without the address prefix.</param>
/// <param name="Exception">The exception logged with it, if any.</param>
public sealed record LogEntry(LogLevel Level, string Category, Address? Service, string Message, Exception? Exception)
{
    /// <summary>True for lines at <see cref="LogLevel.Error"/> or above: a failed coroutine, start or handler.</summary>
    public bool IsFailure => Level >= LogLevel.Error;

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Level} {(Service is { } address ? $"[{address}] " : "")}{Message}{(Exception is null ? "" : $" ({Exception.GetType().Name}: {Exception.Message})")}";
}
