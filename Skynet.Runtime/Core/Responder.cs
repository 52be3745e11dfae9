namespace Skynet;

/// <summary>
/// The reply to one request, taken out of its handler with <see cref="Service.Response"/> (skynet's
/// <c>skynet.response()</c>). Complete it later, from any coroutine or thread, exactly once.
/// If the service exits first, the caller gets an error instead of waiting forever.
/// </summary>
public sealed class Responder
{
    readonly Service _service;
    readonly int _session;
    int _done;

    internal Responder(Service service, int session, Address source)
    {
        _service = service;
        _session = session;
        Source = source;
    }

    /// <summary>The responder of a message sent without a session: nobody waits, so it does nothing (skynet's no-op response function).</summary>
    internal static Responder Nobody(Service service) => new(service, 0, Address.None) { _done = 1 };

    /// <summary>The caller waiting for this reply.</summary>
    public Address Source { get; }

    /// <summary>True until the reply is given or the service exits (skynet's <c>response("TEST")</c>).</summary>
    public bool IsPending => Volatile.Read(ref _done) == 0;

    /// <summary>
    /// Sends the reply: a normal result when <paramref name="ok"/> is true, otherwise an error the caller sees as
    /// <see cref="CallFailedException"/> with <see cref="CallFailure.Refused"/>.
    /// </summary>
    /// <returns>False when the caller no longer exists (the reply was dropped), or nobody waits (a message sent without a session).</returns>
    /// <exception cref="InvalidOperationException">The responder was already used.</exception>
    public bool Respond(bool ok, object? payload = null)
    {
        if (_session == 0) return false;
        if (Interlocked.Exchange(ref _done, 1) != 0)
            throw new InvalidOperationException($"The response to session {_session} from {Source} was already given; a responder answers exactly once.");
        _service.ForgetResponder(this);
        return ok
            ? _service.Node.Route(Source, new Envelope((int)PType.Response, _session, _service.Self.Value, payload))
            : _service.Node.Route(Source, new Envelope((int)PType.Error, _session, _service.Self.Value,
                payload as CallError ?? new CallError(CallFailure.Refused, payload?.ToString() ?? $"{_service.Self} refused the request")));
    }

    /// <summary>
    /// Fails the caller with a specific kind, as the runtime itself does: the caller sees
    /// <see cref="CallFailedException"/> with <paramref name="failure"/> and <paramref name="reason"/>. A module that
    /// forwards calls (a cluster proxy, a router) passes on the failure it got.
    /// </summary>
    /// <returns>False when the caller no longer exists, or nobody waits (a message sent without a session).</returns>
    /// <exception cref="InvalidOperationException">The responder was already used.</exception>
    public bool Fail(CallFailure failure, string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        return Respond(false, new CallError(failure, reason));
    }

    /// <summary>Fails the caller because the service is going away. Used by the runtime at exit.</summary>
    internal void Abandon(string reason)
    {
        if (Interlocked.Exchange(ref _done, 1) != 0) return;
        _service.Node.Route(Source, new Envelope((int)PType.Error, _session, _service.Self.Value, new CallError(CallFailure.ServiceExited, reason)));
    }
}
