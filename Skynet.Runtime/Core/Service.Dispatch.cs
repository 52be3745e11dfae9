using Microsoft.Extensions.Logging;

namespace Skynet;

public abstract partial class Service
{
    MessageHandler?[]? _handlers;
    HashSet<Coroutine>? _openRequests;
    HashSet<Responder>? _responders;
    int _activeCoroutines;
    Coroutine? _turn; // the turn's context: handlers of sent messages run under it

    /// <summary>
    /// Sets the dispatch function for a protocol (skynet's <c>skynet.dispatch</c>); null removes it.
    /// Any <see cref="PType"/> value works, including numbers of your own above <see cref="PType.Trace"/>.
    /// </summary>
    public void Dispatch(PType type, MessageHandler? handler)
    {
        var index = (int)type;
        if ((uint)index > 255) throw new ArgumentOutOfRangeException(nameof(type), type, "A protocol id is 0..255, as in skynet.");
        if (type is PType.Response or PType.Error)
            throw new ArgumentException($"{type} messages are replies; the runtime routes them to the waiting coroutine.", nameof(type));
        if (type is PType.Trace)
            throw new ArgumentException("Trace messages carry trace tags; the runtime handles them (see Service.Trace).", nameof(type));
        if (_handlers is null || _handlers.Length <= index) Array.Resize(ref _handlers, Math.Max(index + 1, (int)PType.Trace + 1));
        _handlers[index] = handler;
    }

    /// <summary>
    /// Replies to the request this coroutine is handling (skynet's <c>skynet.ret</c>).
    /// </summary>
    /// <returns>
    /// False when the message was sent without a session (skynet's session 0) or the caller is gone; nothing is sent.
    /// </returns>
    /// <exception cref="InvalidOperationException">
    /// This coroutine has no session (a fork, timeout, start or exit hook: skynet raises "No session"), or the reply was
    /// already given, handed to a <see cref="Responder"/> or given up with <see cref="IgnoreRet"/>.
    /// </exception>
    public bool Ret(object? payload = null)
    {
        var request = CurrentRequest;
        if (request is null)
        {
            if (InSentMessage) return false;
            throw NoSession("Ret");
        }
        if (!request.TryClaimReply())
        {
            throw new InvalidOperationException(request.IsHandedOff
                ? $"Ret after Response(): the reply to session {request.Session} from {request.Source} belongs to its responder."
                : request.IsIgnored
                ? $"Ret after IgnoreRet() or a Redirect with the caller's session: no session {request.Session} is left to answer."
                : $"Ret called twice for session {request.Session} from {request.Source}; a request gets one reply.");
        }
        if (request.TraceTag is { } tag) TraceHop(tag, $"response {request.Source}");
        return Node.Route(request.Source, new Envelope((int)PType.Response, request.Session, _handle, payload));
    }

    /// <summary>
    /// Takes the reply out of this handler so it can be given later, from anywhere (skynet's <c>skynet.response</c>).
    /// In the handler of a message sent without a session it returns a responder that does nothing, as skynet returns
    /// a no-op function.
    /// </summary>
    /// <exception cref="InvalidOperationException">This coroutine has no session to answer, or already answered it.</exception>
    public Responder Response()
    {
        var request = CurrentRequest;
        if (request is null)
        {
            if (InSentMessage) return Responder.Nobody(this);
            throw NoSession("Response()");
        }
        if (!request.TryHandOff())
            throw new InvalidOperationException($"The reply to session {request.Session} from {request.Source} was already given.");
        var responder = new Responder(this, request.Session, request.Source);
        lock (_lifecycleLock) (_responders ??= []).Add(responder);
        return responder;
    }

    /// <summary>
    /// Declares that this handler will not reply (skynet's <c>skynet.ignoreret</c>): the runtime then reports no
    /// "forgot response" and sends the caller no error. Someone else must answer, or the caller waits (its timeout ends it).
    /// </summary>
    public void IgnoreRet() => CurrentRequest?.TryIgnore();

    /// <summary>True inside a handler of a message sent without a session (skynet's session 0), on this service's turn.</summary>
    bool InSentMessage => Coroutine.Running is { Kind: CoroutineKind.Sent } coroutine && coroutine.Service == this;

    InvalidOperationException NoSession(string api) => new(Coroutine.Running?.Service != this
        ? $"{api} was called on {Self} outside its own message loop; reply from the service's handlers, or take a Responder with Response()."
        : $"{api}: no session to answer. This coroutine is a fork, timeout, start or exit hook (skynet raises \"No session\"); reply from the request's own handler, or pass it a Responder.");

    /// <summary>The request the running coroutine answers; null off the service's turn or in a non-request coroutine.</summary>
    Coroutine? CurrentRequest => Coroutine.Running is { Kind: CoroutineKind.Request } coroutine && coroutine.Service == this ? coroutine : null;

    internal void ForgetResponder(Responder responder)
    {
        lock (_lifecycleLock) _responders?.Remove(responder);
    }

    void Dispatch(in Envelope envelope)
    {
        _messageCount++;
        if (Diagnostics.RuntimeHooks.Active) Diagnostics.RuntimeHooks.MessageHandled(this, in envelope);
        switch (envelope.Type)
        {
            case (int)PType.Response:
                CompleteSession(envelope.Session, envelope.Payload);
                return;
            case (int)PType.Error:
                FailSession(envelope.Session, CallError.From(envelope.Payload));
                return;
            case ControlType.Start:
                _ = RunStart((StartRequest)envelope.Payload!);
                return;
            case ControlType.Continuation:
                var posted = (PostedContinuation)envelope.Payload!;
                posted.Context.Resume(static state => ((PostedContinuation)state!).Run(), posted);
                return;
            case ControlType.FailSession:
                FailSession(envelope.Session, envelope.Payload!);
                return;
            case ControlType.Invoke:
                ((Action<Service>)envelope.Payload!)(this);
                return;
            case (int)PType.Trace:
                // skynet's traceflag: the tag belongs to the next request from the same caller (sent right after it).
                _incomingTraceTag = envelope.Payload as string;
                _incomingTraceSource = envelope.Source;
                return;
        }

        var handlers = _handlers;
        var handler = handlers is not null && (uint)envelope.Type < (uint)handlers.Length ? handlers[envelope.Type] : null;
        if (handler is null)
        {
            UnknownProtocol(in envelope);
            return;
        }
        var message = envelope.ToMessage();
        if (envelope.Session == 0) _turn!.Run(handler, message);
        else RunRequest(handler, message);
    }

    /// <remarks>
    /// Every request gets a coroutine of its own, even one whose handler answers at once. Recycling it (48 bytes) was
    /// tried and dropped: work the handler starts and does not await (<c>_ = SaveAsync()</c>) captures it, and when it
    /// resumes after a recycle it would answer a later request (RequestCoroutineReuseTests).
    /// </remarks>
    void RunRequest(MessageHandler handler, Message message)
    {
        var request = Coroutine.ForRequest(this, message.Session, message.Source);
        if (_incomingTraceTag is not null) AdoptTrace(request);
        request.Run(handler, message);
    }

    /// <summary>A handler, fork or hook suspended: counted for <c>Stat("task")</c>-like introspection, and a request is remembered so an exit can answer it.</summary>
    internal void CoroutineSuspended(Coroutine coroutine)
    {
        _activeCoroutines++;
        if (coroutine.Kind == CoroutineKind.Request) (_openRequests ??= []).Add(coroutine);
    }

    internal void CoroutineEnded(Coroutine coroutine)
    {
        _activeCoroutines--;
        if (coroutine.Kind == CoroutineKind.Request) _openRequests!.Remove(coroutine);
    }

    internal void CheckReplied(Coroutine request, Message message, MessageHandler handler)
    {
        if (request.TryClaimReply())
        {
            Log(LogLevel.Warning, $"Maybe forgot response session {message.Session} from {message.Source} : {handler.Method.DeclaringType?.Name}.{handler.Method.Name}");
            ReplyError(message.Source, message.Session, CallFailure.NoResponse, $"the {message.Type} handler of {Self} returned without replying");
        }
    }

    internal void RequestFailed(Coroutine request, Message message, Exception ex)
    {
        Log(LogLevel.Error, $"Request session {message.Session} from {message.Source} failed: {ex.GetType().Name}: {ex.Message}", ex);
        if (request.TryClaimReply())
            ReplyError(message.Source, message.Session, CallFailure.HandlerFailed, $"{ex.GetType().Name}: {ex.Message}");
    }

    void ReplyError(Address to, int session, CallFailure failure, string reason) =>
        Node.Route(to, new Envelope((int)PType.Error, session, _handle, new CallError(failure, reason)));

    void UnknownProtocol(in Envelope envelope)
    {
        var source = new Address(envelope.Source);
        Log(LogLevel.Warning, $"Unknown request ({(PType)envelope.Type}) session {envelope.Session} from {source}: no dispatch function for this protocol");
        if (envelope.Session != 0)
            ReplyError(source, envelope.Session, CallFailure.UnknownProtocol, $"{Self} has no dispatch function for {(PType)envelope.Type}");
    }
}
