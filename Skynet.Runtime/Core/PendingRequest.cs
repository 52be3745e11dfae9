namespace Skynet;

/// <summary>
/// A request a service is handling: who waits for the reply and whether it was given. It is also the
/// synchronization context its handler's coroutine runs under, so the coroutine keeps its session across
/// every <c>await</c>, the way skynet keeps a session per coroutine.
/// </summary>
internal sealed class PendingRequest(Service service, int session, Address source) : ServiceSynchronizationContext(service)
{
    const int Open = 0, Replied = 1, HandedOff = 2, Ignored = 3;

    int _state;

    public int Session { get; } = session;
    public Address Source { get; } = source;

    /// <summary>The trace tag following this request's call chain (<see cref="Service.Trace"/>), or null.</summary>
    public string? TraceTag;

    public override PendingRequest? Request => this;

    public bool IsHandedOff => Volatile.Read(ref _state) == HandedOff;

    /// <summary>True after <see cref="Service.IgnoreRet"/> or a redirect with the caller's session: no reply is owed.</summary>
    public bool IsIgnored => Volatile.Read(ref _state) == Ignored;

    /// <summary>Claims the reply for the handler itself (Ret, or an error after a throw).</summary>
    public bool TryClaimReply() => Interlocked.CompareExchange(ref _state, Replied, Open) == Open;

    /// <summary>Hands the reply to a responder.</summary>
    public bool TryHandOff() => Interlocked.CompareExchange(ref _state, HandedOff, Open) == Open;

    /// <summary>Gives up the reply: someone else answers (a redirect target), or nobody (skynet's <c>ignoreret</c>).</summary>
    public bool TryIgnore() => Interlocked.CompareExchange(ref _state, Ignored, Open) == Open;
}
