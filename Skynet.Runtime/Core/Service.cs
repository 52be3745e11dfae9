using Microsoft.Extensions.Logging;

namespace Skynet;

/// <summary>
/// The base of every service: a private state, a serial mailbox, and skynet's service API
/// (<c>Send</c>, <c>Call</c>, <c>Ret</c>, <c>Fork</c>, <c>Sleep</c>, <c>Timeout</c>, <c>Exit</c>...).
/// </summary>
/// <remarks>
/// A service's code runs one message at a time, on whichever worker thread picks it up. An <c>await</c> is a
/// yield point: while a handler waits, the service handles its other messages, exactly as a skynet
/// coroutine that blocks in <c>skynet.call</c>. Use <see cref="CriticalSection"/> where that is unwanted.
/// Call the API only from the service's own code; it throws <see cref="InvalidOperationException"/> elsewhere.
/// </remarks>
public abstract partial class Service
{
    SkynetNode? _node;
    uint _handle;
    string _name = "";

    /// <summary>The service whose code is running on this thread, or null outside any service.</summary>
    public static Service? Current => Coroutine.Running?.Service;

    /// <summary>This service's address (skynet's <c>skynet.self()</c>).</summary>
    public Address Self => new(_handle);

    /// <summary>The node hosting this service.</summary>
    public SkynetNode Node => _node ?? throw new InvalidOperationException($"{GetType().Name} is not running; create services with NewService, not with 'new'.");

    /// <summary>The name the service was created under (its registered name or type name).</summary>
    public string ServiceName => _name;

    /// <summary>
    /// Runs first, inside the service, with the arguments given to <c>NewService</c> (skynet's <c>skynet.start</c>).
    /// Register dispatch functions here. If it throws, the creator's <c>NewService</c> fails with the reason.
    /// </summary>
    protected virtual ValueTask OnStart(object?[] args) => default;

    /// <summary>Runs inside the service when it exits through <see cref="Exit"/> or a graceful node shutdown.</summary>
    protected virtual ValueTask OnExit() => default;

    /// <summary>The logger this service writes to; lines carry the <c>[:0000000a]</c> prefix when written with <see cref="Log(string)"/>.</summary>
    public ILogger Logger => Node.ServiceLogger;

    /// <summary>Logs a line as skynet's <c>skynet.error</c> does, prefixed with this service's address.</summary>
    public void Log(string message) => Log(LogLevel.Information, message);

    /// <summary>Logs a line at <paramref name="level"/>, prefixed with this service's address.</summary>
    public void Log(LogLevel level, string message, Exception? exception = null) => Node.LogFor(Self, level, message, exception);

    /// <summary>Reads a node-wide environment value (skynet's <c>skynet.getenv</c>), or null.</summary>
    public string? GetEnv(string key) => Node.GetEnv(key);

    /// <summary>Sets a node-wide environment value once (skynet's <c>skynet.setenv</c>).</summary>
    /// <exception cref="InvalidOperationException">The key already has a value.</exception>
    public void SetEnv(string key, string value) => Node.SetEnv(key, value);

    internal bool IsAttached => _node is not null;

    /// <summary>The unique-service name this instance was started under, if any.</summary>
    internal string? UniqueName { get; set; }

    internal void Attach(SkynetNode node, uint handle, string name)
    {
        _node = node;
        _handle = handle;
        _name = name;
        _inbox = new Inbox(this, handle, node.MailSegments, node.Scheduler) { Limit = _mailboxLimit ?? node.Options.MailboxLimit };
    }

    /// <summary>The running coroutine of this service; throws off the service's turn.</summary>
    Coroutine EnsureInTurn([System.Runtime.CompilerServices.CallerMemberName] string api = "")
    {
        if (Coroutine.Running is { } coroutine && coroutine.Service == this) return coroutine;
        throw new InvalidOperationException(
                $"{api} was called on {(_node is null ? GetType().Name : Self.ToString())} outside its own message loop. " +
                "Call the service API from the service's handlers; ConfigureAwait(false) or Task.Run leave the service.");
    }

    /// <inheritdoc/>
    public override string ToString() => $"{_name} {Self}";
}
