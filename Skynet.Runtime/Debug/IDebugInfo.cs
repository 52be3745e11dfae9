namespace Skynet.Debugging;

/// <summary>
/// Implemented by a service that answers the console's <c>info addr ...</c> itself (skynet's <c>skynet.info_func</c>).
/// Runs inside the service's turn.
/// </summary>
public interface IDebugInfo
{
    /// <summary>Returns what <c>info</c> prints: a string, or key/value pairs printed one per line.</summary>
    /// <param name="args">The words after the address.</param>
    object? DebugInfo(IReadOnlyList<string> args);
}

/// <summary>
/// Implemented by a service that reacts to the console's <c>signal addr [sig]</c>. skynet breaks a Lua endless loop
/// with it; .NET cannot interrupt a running thread, so the signal is delivered at once on the console's thread —
/// concurrently with the service's handler — and the service's own loop must check what it sets (a volatile flag or
/// a <see cref="CancellationTokenSource"/>).
/// </summary>
public interface IDebugSignal
{
    /// <summary>Receives the signal (0 when none was given). Called outside the service's turn.</summary>
    void OnSignal(int signal);
}
