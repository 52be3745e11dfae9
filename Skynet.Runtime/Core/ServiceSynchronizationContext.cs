namespace Skynet;

/// <summary>
/// Brings continuations of foreign awaits (a <see cref="Task"/>, a socket read, <c>Task.Delay</c>) back into the
/// service's mailbox, so they run one at a time with its other messages, in order.
/// </summary>
/// <remarks>
/// It also names the coroutine: a request handler runs under its <see cref="PendingRequest"/> (a subclass), every
/// other coroutine under the service's own instance. An <c>await</c> captures the context, so whichever way the
/// coroutine resumes, the runtime knows which request <see cref="Service.Ret"/> answers — without an
/// <see cref="AsyncLocal{T}"/> and the execution-context allocation it costs per request.
/// </remarks>
internal class ServiceSynchronizationContext(Service service, bool sessionless = false) : SynchronizationContext
{
    public Service Service { get; } = service;

    /// <summary>
    /// True for forks, timeouts, start and exit hooks: coroutines skynet runs with no session at all, where
    /// <c>Ret</c> and <c>Response</c> raise "no session". False for the service's turn context, which runs the
    /// handlers of messages sent without a session (skynet's session 0: <c>Ret</c> returns false).
    /// </summary>
    public bool Sessionless { get; } = sessionless;

    /// <summary>The request this coroutine answers, or null.</summary>
    public virtual PendingRequest? Request => null;

    public sealed override void Post(SendOrPostCallback callback, object? state)
    {
        // A dead service drops it: its coroutines are abandoned, as skynet drops a dead service's coroutines.
        Service.Enqueue(new Envelope(ControlType.Continuation, 0, Service.Self.Value, new PostedContinuation(this, callback, state)));
    }

    public sealed override void Send(SendOrPostCallback callback, object? state)
    {
        if (Service.Current != Service)
            throw new NotSupportedException("A service's context cannot run work synchronously from another thread; post it instead.");
        callback(state);
    }

    public sealed override SynchronizationContext CreateCopy() => this;
}
