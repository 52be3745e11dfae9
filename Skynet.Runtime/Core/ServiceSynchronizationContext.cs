namespace Skynet;

/// <summary>
/// Brings continuations of foreign awaits (a <see cref="Task"/>, a socket read, <c>Task.Delay</c>) back into the
/// service's mailbox, so they run one at a time with its other messages, in order.
/// </summary>
internal sealed class ServiceSynchronizationContext(Service service) : SynchronizationContext
{
    public override void Post(SendOrPostCallback callback, object? state)
    {
        // A dead service drops it: its coroutines are abandoned, as skynet drops a dead service's coroutines.
        service.Enqueue(new Envelope(ControlType.Continuation, 0, service.Self.Value, new PostedContinuation(callback, state)));
    }

    public override void Send(SendOrPostCallback callback, object? state)
    {
        if (Service.Current != service)
            throw new NotSupportedException("A service's context cannot run work synchronously from another thread; post it instead.");
        callback(state);
    }

    public override SynchronizationContext CreateCopy() => this;
}
