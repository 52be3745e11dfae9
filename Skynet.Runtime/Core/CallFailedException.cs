namespace Skynet;

/// <summary>Why a call failed.</summary>
public enum CallFailure
{
    /// <summary>No service lives at the target address or name.</summary>
    UnknownAddress,
    /// <summary>The target exited, or was killed, before it replied.</summary>
    ServiceExited,
    /// <summary>The target's handler threw.</summary>
    HandlerFailed,
    /// <summary>The target's handler returned without replying (skynet's "maybe forgot response").</summary>
    NoResponse,
    /// <summary>The target replied with an error of its own (<c>Respond(false)</c>, or an error from another node).</summary>
    Refused,
    /// <summary>The call's timeout elapsed first.</summary>
    Timeout,
    /// <summary>The target has no dispatch function for the message's protocol.</summary>
    UnknownProtocol,
    /// <summary>The target's mailbox was full (<see cref="Service.MailboxLimit"/>); the request was not sent.</summary>
    Overloaded,
    /// <summary>The target lives on another cluster node that is down, offline (mapped to <c>false</c>), unreachable,
    /// or whose connection dropped before the reply.</summary>
    NodeDown,
}

/// <summary>
/// A <c>Call</c> that got no normal reply. Names the target and the reason, so the log line alone says
/// what to fix.
/// </summary>
public sealed class CallFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CallFailedException(Address target, CallFailure failure, string reason)
        : base($"Call to {target} failed ({failure}): {reason}")
    {
        Target = target;
        Failure = failure;
        Reason = reason;
    }

    /// <summary>The service that was called.</summary>
    public Address Target { get; }

    /// <summary>The kind of failure.</summary>
    public CallFailure Failure { get; }

    /// <summary>The reason as the runtime or the callee gave it.</summary>
    public string Reason { get; }
}

/// <summary>The payload of an in-process ERROR message: the kind and the reason of the failure.</summary>
internal sealed record CallError(CallFailure Failure, string Reason)
{
    public static CallError From(object? payload) => payload switch
    {
        CallError error => error,
        string text => new CallError(CallFailure.Refused, text),
        null => new CallError(CallFailure.Refused, "the callee replied with an error"),
        _ => new CallError(CallFailure.Refused, payload.ToString() ?? "error"),
    };
}
