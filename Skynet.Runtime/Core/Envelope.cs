namespace Skynet;

/// <summary>
/// A queued message. Negative types are the runtime's own control messages; they never reach user code.
/// Kept to four fields so a mailbox slot stays 24 bytes.
/// </summary>
internal readonly struct Envelope(int type, int session, uint source, object? payload)
{
    public readonly int Type = type;
    public readonly int Session = session;
    public readonly uint Source = source;
    public readonly object? Payload = payload;

    public bool IsControl => Type < 0;

    public Message ToMessage() => new((PType)Type, Session, new Address(Source), Payload);
}

/// <summary>The runtime's control message types, kept below zero so they never clash with a PTYPE.</summary>
internal static class ControlType
{
    /// <summary>Run <see cref="Service.OnStart"/>; payload: <see cref="StartRequest"/>.</summary>
    public const int Start = -1;
    /// <summary>A continuation posted to the service's synchronization context; payload: <see cref="PostedContinuation"/>.</summary>
    public const int Continuation = -2;
    /// <summary>Fail a pending session (timeout or cancellation); payload: <see cref="CallError"/> or the exception.</summary>
    public const int FailSession = -3;
    /// <summary>Run a delegate inside the service (node-level helpers); payload: <see cref="Action{Service}"/>.</summary>
    public const int Invoke = -4;
}

internal sealed class StartRequest(object?[] args, TaskCompletionSource<Address> completion, string serviceName)
{
    public object?[] Args { get; } = args;
    public TaskCompletionSource<Address> Completion { get; } = completion;
    public string ServiceName { get; } = serviceName;
}

internal sealed class PostedContinuation(Coroutine context, SendOrPostCallback callback, object? state)
{
    public Coroutine Context { get; } = context;

    public void Run() => callback(state);
}
