using Microsoft.Extensions.Logging;

namespace Skynet;

/// <summary>
/// One skynet coroutine: a handler, fork, timeout, start or exit hook running inside its service. It is the one place
/// that knows which coroutine is running: it is the <see cref="SynchronizationContext"/> the coroutine's code runs
/// under, so every <c>await</c> captures it and every resumption (<see cref="Resume"/>, or a foreign continuation
/// <see cref="Post"/>ed back through the mailbox) restores it. It carries what skynet keeps per coroutine: the
/// request being served (session, source, whether it was answered), the trace tag and the critical sections held.
/// </summary>
/// <remarks>
/// Handlers of sent messages (skynet's session 0) share one instance per service, the context of the service's turn,
/// so a handler that finishes without suspending costs no allocation; every request, fork, timeout, start and exit hook
/// gets its own.
/// </remarks>
internal sealed class Coroutine : SynchronizationContext
{
    const int Open = 0, Replied = 1, HandedOff = 2, Ignored = 3;

    readonly CoroutineKind _kind;
    readonly bool _shared;
    int _reply;
    List<CriticalSection>? _held;

    Coroutine(Service service, CoroutineKind kind, bool shared, int session, Address source)
    {
        Service = service;
        _kind = kind;
        _shared = shared;
        Session = session;
        Source = source;
    }

    /// <summary>The context of a service's turn, under which handlers of sent messages run.</summary>
    public static Coroutine ForTurn(Service service) => new(service, CoroutineKind.Sent, shared: true, 0, default);

    /// <summary>A handler of a sent message that needs an identity of its own (it entered a critical section).</summary>
    public static Coroutine ForSentMessage(Service service) => new(service, CoroutineKind.Sent, shared: false, 0, default);

    /// <summary>The coroutine of a request handler, answering <paramref name="session"/> of <paramref name="source"/>.</summary>
    public static Coroutine ForRequest(Service service, int session, Address source) => new(service, CoroutineKind.Request, shared: false, session, source);

    /// <summary>A fork, timeout, start or exit hook: skynet runs these with no session at all.</summary>
    public static Coroutine WithoutSession(Service service) => new(service, CoroutineKind.Sessionless, shared: false, 0, default);

    /// <summary>The coroutine whose code runs on this thread, or null outside every service's turn.</summary>
    public static Coroutine? Running => Current as Coroutine;

    public Service Service { get; }

    public CoroutineKind Kind => _kind;

    /// <summary>True for the turn's context shared by handlers of sent messages (it can hold no critical section).</summary>
    public bool IsShared => _shared;

    /// <summary>The session this coroutine answers (requests only).</summary>
    public int Session { get; }

    /// <summary>The caller waiting for the answer (requests only).</summary>
    public Address Source { get; }

    /// <summary>The trace tag following this coroutine's call chain (<see cref="Service.Trace"/>), or null.</summary>
    public string? TraceTag;

    // --- the reply a request owes ---

    public bool IsHandedOff => Volatile.Read(ref _reply) == HandedOff;

    /// <summary>True after <see cref="Service.IgnoreRet"/> or a redirect with the caller's session: no reply is owed.</summary>
    public bool IsIgnored => Volatile.Read(ref _reply) == Ignored;

    /// <summary>Claims the reply for the handler itself (Ret, or an error after a throw).</summary>
    public bool TryClaimReply() => Interlocked.CompareExchange(ref _reply, Replied, Open) == Open;

    /// <summary>Hands the reply to a responder.</summary>
    public bool TryHandOff() => Interlocked.CompareExchange(ref _reply, HandedOff, Open) == Open;

    /// <summary>Gives up the reply: someone else answers (a redirect target), or nobody (skynet's <c>ignoreret</c>).</summary>
    public bool TryIgnore() => Interlocked.CompareExchange(ref _reply, Ignored, Open) == Open;

    // --- critical sections held (skynet.queue's reentrancy is per coroutine) ---

    public bool Holds(CriticalSection section) => _held is { } held && held.Contains(section);

    public void Hold(CriticalSection section) => (_held ??= []).Add(section);

    public void Release(CriticalSection section) => _held!.Remove(section);

    // --- running and resuming ---

    /// <summary>Runs a dispatch function as this coroutine; one that suspends is tracked until it ends, then checked or logged.</summary>
    public void Run(MessageHandler handler, Message message)
    {
        // The turn already runs under the shared context; only a request switches to its own.
        var outer = _shared ? null : SynchronizationContext.Current;
        if (!_shared) SetSynchronizationContext(this);
        try
        {
            var pending = handler(message);
            if (pending.IsCompletedSuccessfully)
            {
                Ended(null, handler, message);
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
            if (!_shared) SetSynchronizationContext(outer);
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
        if (_kind == CoroutineKind.Request)
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

    /// <summary>Runs the synchronous start of <paramref name="work"/> as this coroutine and returns what it still has to do.</summary>
    public ValueTask Start(Func<ValueTask> work)
    {
        var outer = SynchronizationContext.Current;
        SetSynchronizationContext(this);
        try
        {
            return work();
        }
        finally
        {
            SetSynchronizationContext(outer);
        }
    }

    /// <inheritdoc cref="Start(Func{ValueTask})"/>
    public ValueTask<T> Start<T>(Func<ValueTask<T>> work)
    {
        var outer = SynchronizationContext.Current;
        SetSynchronizationContext(this);
        try
        {
            return work();
        }
        finally
        {
            SetSynchronizationContext(outer);
        }
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
