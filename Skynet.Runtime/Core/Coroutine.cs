using Microsoft.Extensions.Logging;

namespace Skynet;

/// <summary>
/// One skynet coroutine: a handler, fork, timeout, start or exit hook running inside its service. It is the one place
/// that knows which coroutine is running: it is the <see cref="SynchronizationContext"/> the coroutine's code runs
/// under, so every <c>await</c> captures it and every resumption (<see cref="Resume"/>, or a foreign continuation
/// <see cref="Post"/>ed back through the mailbox) restores it. It carries what skynet keeps per coroutine: the
/// request being served (session, source, whether it was answered) and its trace tag; a critical section records
/// the coroutine that holds it, as skynet.queue records its <c>current_thread</c>.
/// </summary>
/// <remarks>
/// Handlers of sent messages (skynet's session 0) share one instance per service, the context of the service's turn,
/// so a handler that finishes without suspending costs no allocation; every request, fork, timeout, start and exit hook
/// gets its own. A request's instance is the only per-request allocation of the runtime, so it is kept to four fields,
/// the size of the request object it replaced: kind, reply state and the traced flag share one int, and the rare trace
/// tag lives with the service.
/// </remarks>
internal sealed class Coroutine : SynchronizationContext
{
    const int Open = 0, Replied = 1, HandedOff = 2, Ignored = 3, ReplyMask = 3, TracedBit = 4, KindShift = 3;
    const int TurnKind = 3; // a fourth kind value: the turn's shared context, which is a Sent coroutine

    int _state; // kind << KindShift | TracedBit | reply state

    Coroutine(Service service, int kind, int session, Address source)
    {
        Service = service;
        _state = kind << KindShift;
        Session = session;
        Source = source;
    }

    /// <summary>The context of a service's turn, under which handlers of sent messages run.</summary>
    public static Coroutine ForTurn(Service service) => new(service, TurnKind, 0, default);

    /// <summary>A handler of a sent message that needs an identity of its own (it entered a critical section).</summary>
    public static Coroutine ForSentMessage(Service service) => new(service, (int)CoroutineKind.Sent, 0, default);

    /// <summary>The coroutine of a request handler, answering <paramref name="session"/> of <paramref name="source"/>.</summary>
    public static Coroutine ForRequest(Service service, int session, Address source) => new(service, (int)CoroutineKind.Request, session, source);

    /// <summary>A fork, timeout, start or exit hook: skynet runs these with no session at all.</summary>
    public static Coroutine WithoutSession(Service service) => new(service, (int)CoroutineKind.Sessionless, 0, default);

    /// <summary>The coroutine whose code runs on this thread, or null outside every service's turn.</summary>
    public static Coroutine? Running => Current as Coroutine;

    public Service Service { get; }

    public CoroutineKind Kind => _state >> KindShift is var kind && kind == TurnKind ? CoroutineKind.Sent : (CoroutineKind)kind;

    /// <summary>True for the turn's context shared by handlers of sent messages (it can hold no critical section).</summary>
    public bool IsShared => _state >> KindShift == TurnKind;

    /// <summary>The session this coroutine answers (requests only).</summary>
    public int Session { get; }

    /// <summary>The caller waiting for the answer (requests only).</summary>
    public Address Source { get; }

    /// <summary>The trace tag following this coroutine's call chain (<see cref="Service.Trace"/>), or null.</summary>
    public string? TraceTag
    {
        get => (_state & TracedBit) != 0 ? Service.TraceTagOf(this) : null;
        set
        {
            Service.SetTraceTag(this, value);
            if (value is null) _state &= ~TracedBit;
            else _state |= TracedBit;
        }
    }

    // --- the reply a request owes (touched only inside the service's turn) ---

    public bool IsHandedOff => (_state & ReplyMask) == HandedOff;

    /// <summary>True after <see cref="Service.IgnoreRet"/> or a redirect with the caller's session: no reply is owed.</summary>
    public bool IsIgnored => (_state & ReplyMask) == Ignored;

    /// <summary>Claims the reply for the handler itself (Ret, or an error after a throw).</summary>
    public bool TryClaimReply() => TryMoveReply(Replied);

    /// <summary>Hands the reply to a responder.</summary>
    public bool TryHandOff() => TryMoveReply(HandedOff);

    /// <summary>Gives up the reply: someone else answers (a redirect target), or nobody (skynet's <c>ignoreret</c>).</summary>
    public bool TryIgnore() => TryMoveReply(Ignored);

    bool TryMoveReply(int to)
    {
        if ((_state & ReplyMask) != Open) return false;
        _state |= to;
        return true;
    }

    // --- running and resuming ---

    /// <summary>Runs a dispatch function as this coroutine; one that suspends is tracked until it ends, then checked or logged.</summary>
    public void Run(MessageHandler handler, Message message)
    {
        // The turn already runs under the shared context; only a request switches to its own.
        var shared = IsShared;
        var outer = shared ? null : SynchronizationContext.Current;
        if (!shared) SetSynchronizationContext(this);
        try
        {
            var pending = handler(message);
            if (pending.IsCompletedSuccessfully)
            {
                if (!shared) Ended(null, handler, message); // a sent message that finished owes nothing: the hot path stops here
                return;
            }
            _ = Track(pending, handler, message);
        }
        catch (Exception ex)
        {
            Ended(ex, handler, message);
        }
        finally
        {
            if (!shared) SetSynchronizationContext(outer);
        }
    }

    async ValueTask Track(ValueTask pending, MessageHandler handler, Message message)
    {
        // Started under this context, so this wrapper resumes inside the turn exactly like the handler does.
        Service.CoroutineSuspended(this);
        Exception? failure = null;
        try
        {
            await pending;
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        finally
        {
            Service.CoroutineEnded(this);
        }
        Ended(failure, handler, message);
    }

    void Ended(Exception? failure, MessageHandler handler, Message message)
    {
        if ((_state & TracedBit) != 0) TraceTag = null; // the side table entry ends with the handler
        if (Kind == CoroutineKind.Request)
        {
            if (failure is null) Service.CheckReplied(this, message, handler);
            else Service.RequestFailed(this, message, failure);
        }
        else if (failure is not null)
        {
            Service.Log(LogLevel.Error, $"{message.Type} message from {message.Source} failed: {failure.GetType().Name}: {failure.Message}", failure);
        }
    }

    /// <summary>Runs <paramref name="work"/> as this coroutine to its end; a failure is logged, never thrown into the turn.</summary>
    public ValueTask RunLogged(Func<ValueTask> work, string what)
    {
        try
        {
            var pending = Start(work);
            return pending.IsCompletedSuccessfully ? default : TrackLogged(pending, what);
        }
        catch (Exception ex)
        {
            LogFailure(what, ex);
            return default;
        }
    }

    async ValueTask TrackLogged(ValueTask pending, string what)
    {
        Service.CoroutineSuspended(this);
        try
        {
            await pending;
        }
        catch (Exception ex)
        {
            LogFailure(what, ex);
        }
        finally
        {
            Service.CoroutineEnded(this);
        }
    }

    void LogFailure(string what, Exception ex) => Service.Log(LogLevel.Error, $"{what} failed: {ex.GetType().Name}: {ex.Message}", ex);

    /// <summary>Makes this coroutine the thread's synchronization context until the scope is disposed.</summary>
    ContextScope Enter()
    {
        var outer = SynchronizationContext.Current;
        SetSynchronizationContext(this);
        return new ContextScope(outer);
    }

    readonly struct ContextScope(SynchronizationContext? outer) : IDisposable
    {
        public void Dispose() => SetSynchronizationContext(outer);
    }

    /// <summary>Runs the synchronous start of <paramref name="work"/> as this coroutine and returns what it still has to do.</summary>
    public ValueTask Start(Func<ValueTask> work)
    {
        using var _ = Enter();
        return work();
    }

    /// <inheritdoc cref="Start(Func{ValueTask})"/>
    public ValueTask Start<TState>(Func<TState, ValueTask> work, TState state)
    {
        using var _ = Enter();
        return work(state);
    }

    /// <inheritdoc cref="Start(Func{ValueTask})"/>
    public ValueTask<T> Start<T>(Func<ValueTask<T>> work)
    {
        using var _ = Enter();
        return work();
    }

    /// <summary>Continues this coroutine inline, inside its service's turn, under itself.</summary>
    public void Resume(Action<object?> continuation, object? state)
    {
        var outer = SynchronizationContext.Current;
        if (ReferenceEquals(outer, this))
        {
            continuation(state);
            return;
        }
        SetSynchronizationContext(this);
        try
        {
            continuation(state);
        }
        finally
        {
            SetSynchronizationContext(outer);
        }
    }

    /// <summary>Brings a foreign continuation (a <see cref="Task"/>, a socket read) back through the mailbox, in order with the rest.</summary>
    public override void Post(SendOrPostCallback callback, object? state) =>
        // A dead service drops it: its coroutines are abandoned, as skynet drops a dead service's coroutines.
        Service.Enqueue(new Envelope(ControlType.Continuation, 0, Service.Self.Value, new PostedContinuation(this, callback, state)));

    public override void Send(SendOrPostCallback callback, object? state)
    {
        if (Running?.Service != Service)
            throw new NotSupportedException("A service's context cannot run work synchronously from another thread; post it instead.");
        callback(state);
    }

    public override SynchronizationContext CreateCopy() => this;
}

/// <summary>What a coroutine was started for; it decides what <c>Ret</c> and <c>Response</c> may do.</summary>
internal enum CoroutineKind : byte
{
    /// <summary>The handler of a message sent without a session (skynet's session 0): <c>Ret</c> returns false.</summary>
    Sent,
    /// <summary>A request handler: it owes its caller one reply.</summary>
    Request,
    /// <summary>A fork, timeout, start or exit hook: <c>Ret</c> and <c>Response</c> raise "no session".</summary>
    Sessionless,
}
