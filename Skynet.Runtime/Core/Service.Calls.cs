namespace Skynet;

public abstract partial class Service
{
    int _lastSession;
    bool _sessionsWrapped;
    Dictionary<int, SessionSource>? _sessions;
    SessionSource? _freeSource;

    /// <summary>Sends a one-way message (skynet's <c>skynet.send</c>).</summary>
    /// <returns>
    /// False when the message was dropped: no service lives at <paramref name="destination"/> (as in skynet), or its
    /// mailbox is full (<see cref="MailboxLimit"/>; the drop is counted and logged).
    /// </returns>
    public bool Send(Address destination, PType type, object? payload) =>
        Node.Route(destination, new Envelope((int)type, 0, _handle, payload));

    /// <summary>Sends a <see cref="PType.Lua"/> message whose payload is the argument list, like <c>skynet.send(addr, "lua", ...)</c>.</summary>
    public bool Send(Address destination, params object?[] args) => Send(destination, PType.Lua, args);

    /// <summary>Sends to a service by local name (<c>.name</c>).</summary>
    public bool Send(string name, PType type, object? payload) =>
        Node.LocalName(name) is { } address && Send(address, type, payload);

    /// <summary>Sends a <see cref="PType.Lua"/> argument list to a service by local name.</summary>
    public bool Send(string name, params object?[] args) => Send(name, PType.Lua, args);

    /// <summary>
    /// Forwards a message with a source and session of your choosing (skynet's <c>skynet.redirect</c>). Redirecting the
    /// request being handled with its caller's source and session hands the reply to <paramref name="destination"/>:
    /// this handler then owes no reply (as after <see cref="IgnoreRet"/>).
    /// </summary>
    /// <returns>False when no service lives at <paramref name="destination"/> or its mailbox is full.</returns>
    public bool Redirect(Address destination, Address source, PType type, int session, object? payload)
    {
        if (session != 0 && CurrentRequest is { } request && request.Session == session && request.Source == source)
            request.TryIgnore();
        return Node.Route(destination, new Envelope((int)type, session, source.Value, payload));
    }

    /// <summary>
    /// Sends a request and waits for the reply (skynet's <c>skynet.call</c>). While it waits, this service handles
    /// its other messages.
    /// </summary>
    /// <param name="destination">The service to call.</param>
    /// <param name="type">The protocol.</param>
    /// <param name="payload">The request.</param>
    /// <param name="timeout">Fail with <see cref="CallFailure.Timeout"/> when no reply arrives in time; null waits as long as the callee lives.</param>
    /// <param name="cancellationToken">Abandons the wait with <see cref="OperationCanceledException"/>.</param>
    /// <returns>The reply's payload.</returns>
    /// <exception cref="CallFailedException">No such service, it exited, its handler threw or returned without replying, or the timeout passed.</exception>
    public ValueTask<object?> Call(Address destination, PType type, object? payload, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        StartCall(destination, type, payload, timeout, cancellationToken, out var failure) is { } source
            ? source.AsObjectTask()
            : ValueTask.FromException<object?>(failure!);

    /// <summary>
    /// Sends a request and opens its session: the caller awaits the returned source (typed layers wrap it without an
    /// extra state machine). Null with <paramref name="failure"/> when the request could not be delivered.
    /// </summary>
    internal SessionSource? StartCall(Address destination, PType type, object? payload, TimeSpan? timeout, CancellationToken cancellationToken, out Exception? failure)
    {
        var coroutine = EnsureInTurn();
        var node = Node;
        if (coroutine.TraceTag is { } tag) SendTrace(destination, tag);
        var session = NextSession();
        var source = RentSource();
        source.Target = destination;
        (_sessions ??= [])[session] = source;
        var delivery = node.Deliver(destination, new Envelope((int)type, session, _handle, payload));
        if (delivery != Delivery.Delivered)
        {
            _sessions.Remove(session);
            ReturnSource(source);
            failure = new CallFailedException(destination, SkynetNode.FailureOf(delivery), node.DescribeRefusal(destination, delivery));
            return null;
        }
        if (Diagnostics.RuntimeHooks.Active) Diagnostics.RuntimeHooks.CallStarted(this, session, destination, type);
        if ((timeout ?? node.Options.CallTimeout) is { } limit)
            source.Timer = node.Timers.Schedule(this, limit, new Envelope(ControlType.FailSession, session, _handle, new CallError(CallFailure.Timeout, $"no reply within {limit}")));
        if (cancellationToken.CanBeCanceled)
            source.Cancellation = RegisterCancellation(session, cancellationToken);
        failure = null;
        return source;
    }

    /// <summary>Calls with a <see cref="PType.Lua"/> argument list, like <c>skynet.call(addr, "lua", ...)</c>.</summary>
    public ValueTask<object?> Call(Address destination, params object?[] args) => Call(destination, PType.Lua, args);

    /// <summary>Calls a service by local name (<c>.name</c>).</summary>
    public ValueTask<object?> Call(string name, PType type, object? payload, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        Node.LocalName(name) is { } address
            ? Call(address, type, payload, timeout, cancellationToken)
            : ValueTask.FromException<object?>(new CallFailedException(Address.None, CallFailure.UnknownAddress, $"no service is named '{name}'"));

    /// <summary>Calls a service by local name with a <see cref="PType.Lua"/> argument list.</summary>
    public ValueTask<object?> Call(string name, params object?[] args) => Call(name, PType.Lua, args);

    CancellationTokenRegistration RegisterCancellation(int session, CancellationToken token) =>
        token.UnsafeRegister(static (state, token) =>
        {
            var (service, session) = ((Service, int))state!;
            service.Enqueue(new Envelope(ControlType.FailSession, session, service._handle, new OperationCanceledException(token)));
        }, (this, session));

    /// <summary>
    /// The next free session. Like skynet's, numbers wrap after 0x7fffffff back to 1; once they have wrapped, a session
    /// still waiting is skipped, so a waiter from long ago is never overwritten ("avoid session rewind conflict").
    /// </summary>
    int NextSession()
    {
        while (true)
        {
            var session = ++_lastSession;
            if (session <= 0)
            {
                session = _lastSession = 1;
                _sessionsWrapped = true;
            }
            if (!_sessionsWrapped || _sessions is null || !_sessions.ContainsKey(session)) return session;
        }
    }

    // Test hooks: reaching the wrap by 2^31 real calls would take minutes.
    internal int LastSessionForTests { get => _lastSession; set => _lastSession = value; }

    internal int NextSessionForTests() => NextSession();

    internal SessionSource RentSource()
    {
        var source = _freeSource;
        if (source is not null)
        {
            _freeSource = null;
            return source;
        }
        return new SessionSource { Owner = this };
    }

    internal void ReturnSource(SessionSource source) => _freeSource ??= source;

    /// <summary>Registers a session that a timer, a reply or a wake-up will end.</summary>
    SessionSource OpenSession(out int session)
    {
        session = NextSession();
        var source = RentSource();
        (_sessions ??= [])[session] = source;
        return source;
    }

    void CompleteSession(int session, object? payload)
    {
        if (_sessions is null || !_sessions.Remove(session, out var source)) return; // late reply after a timeout or wake-up: dropped, as skynet does
        if (Diagnostics.RuntimeHooks.Active) Diagnostics.RuntimeHooks.SessionEnded(this, session, null);
        ForgetToken(source);
        source.CancelTimer();
        if (source.Callback is { } callback)
        {
            _ = RunCoroutine(callback);
            return;
        }
        source.SetResult(payload);
    }

    void FailSession(int session, object error)
    {
        if (_sessions is null || !_sessions.Remove(session, out var source)) return;
        if (Diagnostics.RuntimeHooks.Active) Diagnostics.RuntimeHooks.SessionEnded(this, session, error);
        ForgetToken(source);
        source.CancelTimer();
        source.SetException(error switch
        {
            CallError callError => new CallFailedException(source.Target, callError.Failure, callError.Reason),
            Exception exception => exception,
            _ => new InvalidOperationException(error.ToString()),
        });
    }
}
