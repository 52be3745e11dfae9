namespace Skynet;

/// <summary>
/// A request a service is handling: who waits for the reply and whether it was given. It flows with the
/// handler's coroutine (an <see cref="AsyncLocal{T}"/>), the way skynet keeps a session per coroutine,
/// so <see cref="Service.Ret"/> after an <c>await</c> still answers the right caller.
/// </summary>
internal sealed class PendingRequest(Service service, int session, Address source, PType type)
{
    const int Open = 0, Replied = 1, HandedOff = 2;

    static readonly AsyncLocal<PendingRequest?> s_current = new();

    int _state;

    public Service Service { get; } = service;
    public int Session { get; } = session;
    public Address Source { get; } = source;
    public PType Type { get; } = type;

    public static PendingRequest? Current
    {
        get => s_current.Value;
        set => s_current.Value = value;
    }

    public bool IsOpen => Volatile.Read(ref _state) == Open;
    public bool IsHandedOff => Volatile.Read(ref _state) == HandedOff;
    public bool IsReplied => Volatile.Read(ref _state) == Replied;

    /// <summary>Claims the reply for the handler itself (Ret, or an error after a throw).</summary>
    public bool TryClaimReply() => Interlocked.CompareExchange(ref _state, Replied, Open) == Open;

    /// <summary>Hands the reply to a responder.</summary>
    public bool TryHandOff() => Interlocked.CompareExchange(ref _state, HandedOff, Open) == Open;
}
