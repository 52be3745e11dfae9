using Microsoft.Extensions.Logging;

namespace Skynet;

public abstract partial class Service
{
    MessageHandler?[]? _handlers;
    HashSet<PendingRequest>? _openRequests;
    HashSet<Responder>? _responders;
    int _activeCoroutines;
    PendingRequest? _currentRequest;

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
        if (_handlers is null || _handlers.Length <= index) Array.Resize(ref _handlers, Math.Max(index + 1, (int)PType.Trace + 1));
        _handlers[index] = handler;
    }

    /// <summary>
    /// Replies to the request this coroutine is handling (skynet's <c>skynet.ret</c>).
    /// </summary>
    /// <returns>False when there is nothing to answer (the message was sent, not called) or the caller is gone.</returns>
    /// <exception cref="InvalidOperationException">The reply was already given, or handed to a <see cref="Responder"/>.</exception>
    public bool Ret(object? payload = null)
    {
        var request = CurrentRequest;
        if (request is null) return false;
        if (!request.TryClaimReply())
        {
            throw new InvalidOperationException(request.IsHandedOff
                ? $"Ret after Response(): the reply to session {request.Session} from {request.Source} belongs to its responder."
                : $"Ret called twice for session {request.Session} from {request.Source}; a request gets one reply.");
        }
        return Node.Route(request.Source, new Envelope((int)PType.Response, request.Session, _handle, payload));
    }

    /// <summary>
    /// Takes the reply out of this handler so it can be given later, from anywhere (skynet's <c>skynet.response</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">This coroutine has no request to answer, or already answered it.</exception>
    public Responder Response()
    {
        var request = CurrentRequest
            ?? throw new InvalidOperationException("Response() needs a request: this coroutine has no session to answer (the message was sent, not called, or this is a forked coroutine).");
        if (!request.TryHandOff())
            throw new InvalidOperationException($"The reply to session {request.Session} from {request.Source} was already given.");
        var responder = new Responder(this, request.Session, request.Source);
        lock (_lifecycleLock) (_responders ??= []).Add(responder);
        return responder;
    }

    /// <summary>The request the running coroutine answers; null off the service's turn or in a non-request coroutine.</summary>
    PendingRequest? CurrentRequest => t_current == this ? _currentRequest : null;

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
                Resume(posted.Context, static state => ((PostedContinuation)state!).Run(), posted);
                return;
            case ControlType.FailSession:
                FailSession(envelope.Session, envelope.Payload!);
                return;
            case ControlType.Invoke:
                ((Action<Service>)envelope.Payload!)(this);
                return;
        }

        if (_state == Exiting)
        {
            RefuseWhileExiting(in envelope);
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
        if (envelope.Session == 0) RunSend(handler, message);
        else RunRequest(handler, message);
    }

    void RunSend(MessageHandler handler, Message message)
    {
        // The common handler finishes without suspending: no async machinery, no allocation.
        ValueTask pending;
        try
        {
            pending = handler(message);
            if (pending.IsCompletedSuccessfully) return;
        }
        catch (Exception ex)
        {
            SendFailed(message, ex);
            return;
        }
        _ = AwaitSend(pending, message);
    }

    async ValueTask AwaitSend(ValueTask pending, Message message)
    {
        _activeCoroutines++;
        try
        {
            await pending;
        }
        catch (Exception ex)
        {
            SendFailed(message, ex);
        }
        finally
        {
            _activeCoroutines--;
        }
    }

    void SendFailed(Message message, Exception ex) =>
        Log(LogLevel.Error, $"{message.Type} message from {message.Source} failed: {ex.GetType().Name}: {ex.Message}", ex);

    void RunRequest(MessageHandler handler, Message message)
    {
        var request = new PendingRequest(this, message.Session, message.Source);
        var outerContext = SynchronizationContext.Current;
        var outerRequest = _currentRequest;
        SynchronizationContext.SetSynchronizationContext(request);
        _currentRequest = request;
        try
        {
            var pending = handler(message);
            if (!pending.IsCompleted)
            {
                // Started under the request's context, so the wrapper resumes in the turn like the handler does.
                _ = AwaitRequest(request, message, handler, pending);
                return;
            }
            pending.GetAwaiter().GetResult();
            CheckReplied(request, message, handler);
        }
        catch (Exception ex)
        {
            RequestFailed(request, message, ex);
        }
        finally
        {
            _currentRequest = outerRequest;
            SynchronizationContext.SetSynchronizationContext(outerContext);
        }
    }

    async ValueTask AwaitRequest(PendingRequest request, Message message, MessageHandler handler, ValueTask pending)
    {
        _activeCoroutines++;
        (_openRequests ??= []).Add(request);
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
            _activeCoroutines--;
            _openRequests.Remove(request);
        }
        if (failure is null) CheckReplied(request, message, handler);
        else RequestFailed(request, message, failure);
    }

    void CheckReplied(PendingRequest request, Message message, MessageHandler handler)
    {
        if (request.TryClaimReply())
        {
            Log(LogLevel.Warning, $"Maybe forgot response session {message.Session} from {message.Source} : {handler.Method.DeclaringType?.Name}.{handler.Method.Name}");
            ReplyError(message.Source, message.Session, CallFailure.NoResponse, $"the {message.Type} handler of {Self} returned without replying");
        }
    }

    void RequestFailed(PendingRequest request, Message message, Exception ex)
    {
        Log(LogLevel.Error, $"Request session {message.Session} from {message.Source} failed: {ex.GetType().Name}: {ex.Message}", ex);
        if (request.TryClaimReply())
            ReplyError(message.Source, message.Session, CallFailure.HandlerFailed, $"{ex.GetType().Name}: {ex.Message}");
    }

    void ReplyError(Address to, int session, CallFailure failure, string reason) =>
        Node.Route(to, new Envelope((int)PType.Error, session, _handle, new CallError(failure, reason)));

    void RefuseWhileExiting(in Envelope envelope)
    {
        if (envelope.Session != 0)
            ReplyError(new Address(envelope.Source), envelope.Session, CallFailure.ServiceExited, $"{Self} is exiting");
    }

    void UnknownProtocol(in Envelope envelope)
    {
        var source = new Address(envelope.Source);
        Log(LogLevel.Warning, $"Unknown request ({(PType)envelope.Type}) session {envelope.Session} from {source}: no dispatch function for this protocol");
        if (envelope.Session != 0)
            ReplyError(source, envelope.Session, CallFailure.UnknownProtocol, $"{Self} has no dispatch function for {(PType)envelope.Type}");
    }
}
