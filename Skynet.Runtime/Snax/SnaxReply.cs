using System.Threading.Tasks.Sources;

namespace Skynet;

/// <summary>
/// A snax request's typed result inside a service: the call's own session, seen as <typeparamref name="TResult"/>.
/// The awaiting coroutine's continuation goes straight to the session, so it resumes inline in the turn exactly as an
/// awaited <c>Call</c> does, with no async state machine or context hop in between. Instances are reused (one cached
/// per thread and result type); the version makes a second await of a consumed task throw.
/// </summary>
internal sealed class SnaxReply<TResult> : IValueTaskSource<TResult>
{
    [ThreadStatic] static SnaxReply<TResult>? t_free;

    SessionSource? _session;
    short _sessionVersion;
    short _version;

    public static ValueTask<TResult> Await(SessionSource session)
    {
        var reply = t_free ?? new SnaxReply<TResult>();
        t_free = null;
        reply._session = session;
        reply._sessionVersion = session.Version;
        return new ValueTask<TResult>(reply, reply._version);
    }

    public ValueTaskSourceStatus GetStatus(short token) => Session(token).GetStatus(_sessionVersion);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        Session(token).OnCompleted(continuation, state, _sessionVersion, flags);

    public TResult GetResult(short token)
    {
        IValueTaskSource<object?> session = Session(token);
        var sessionVersion = _sessionVersion;
        _session = null;
        _version++;
        t_free ??= this; // before the session's result, which may throw
        return (TResult)session.GetResult(sessionVersion)!;
    }

    SessionSource Session(short token) =>
        token == _version && _session is { } session ? session
            : throw new InvalidOperationException("A snax request's ValueTask was awaited twice or after it was consumed; await it exactly once.");
}
