namespace Skynet;

public sealed partial class SkynetNode
{
    readonly ClientPort _client;
    readonly uint _clientHandle; // copied out of _client: every send compares against it

    /// <summary>Delivers an envelope to a local service; false when nothing lives at the address or its mailbox is full.</summary>
    internal bool Route(Address destination, in Envelope envelope) => Deliver(destination, in envelope) == Delivery.Delivered;

    /// <summary>Delivers an envelope to a local service and says what became of it.</summary>
    internal Delivery Deliver(Address destination, in Envelope envelope)
    {
        if (destination.Value == _clientHandle) return _client.Deliver(in envelope);
        return _registry.FindInbox(destination.Value) is { } inbox ? inbox.Post(in envelope) : Delivery.NoService;
    }

    internal string DescribeRefusal(Address destination, Delivery delivery) =>
        delivery == Delivery.MailboxFull
            ? $"the mailbox of {destination} is full ({_registry.FindInbox(destination.Value)?.Limit} messages); the request was not sent"
            : DescribeUnreachable(destination);

    internal static CallFailure FailureOf(Delivery delivery) =>
        delivery == Delivery.MailboxFull ? CallFailure.Overloaded : CallFailure.UnknownAddress;

    internal string DescribeUnreachable(Address destination) =>
        destination.IsNone ? "the address is empty (:00000000)"
        : destination.Harbor != Harbor ? $"{destination} is on node {destination.Harbor}, and this node ({Harbor}) has no route to it"
        : $"no service lives at {destination} (it never existed or has exited)";

    /// <summary>Sends a one-way message from outside any service (the source is <see cref="Address.None"/>).</summary>
    public bool Send(Address destination, PType type, object? payload) =>
        Route(destination, new Envelope((int)type, 0, 0, payload));

    /// <summary>Sends a <see cref="PType.Lua"/> argument list from outside any service.</summary>
    public bool Send(Address destination, params object?[] args) => Send(destination, PType.Lua, args);

    /// <summary>
    /// Calls a service from outside the runtime (a test, <c>Main</c>, an ASP.NET handler). The continuation runs on
    /// the thread pool, never on a worker.
    /// </summary>
    /// <exception cref="CallFailedException">As for <see cref="Service.Call(Address, PType, object?, TimeSpan?, CancellationToken)"/>.</exception>
    public Task<object?> Call(Address destination, PType type, object? payload, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        _client.Call(this, destination, type, payload, timeout, cancellationToken);

    /// <summary>Calls with a <see cref="PType.Lua"/> argument list from outside the runtime.</summary>
    public Task<object?> Call(Address destination, params object?[] args) => Call(destination, PType.Lua, args);

    /// <summary>Calls a service by local name from outside the runtime.</summary>
    public Task<object?> Call(string name, PType type, object? payload, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        LocalName(name) is { } address
            ? Call(address, type, payload, timeout, cancellationToken)
            : Task.FromException<object?>(new CallFailedException(Address.None, CallFailure.UnknownAddress, $"no service is named '{name}'"));

    /// <summary>
    /// The address that calls from outside the runtime reply to. It is not a service: it owns a reserved handle, so
    /// replies route like any other, and its mail completes tasks directly instead of queueing.
    /// </summary>
    sealed class ClientPort(uint handle)
    {
        public uint Handle { get; } = handle;

        readonly System.Collections.Concurrent.ConcurrentDictionary<int, PendingCall> _pending = new();
        int _lastSession;

        sealed class PendingCall(Address target) : TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously)
        {
            public Address Target { get; } = target;
            public CancellationTokenRegistration Registration;
            public CancellationTokenSource? Timer;
        }

        public Task<object?> Call(SkynetNode node, Address destination, PType type, object? payload, TimeSpan? timeout, CancellationToken cancellationToken)
        {
            var call = new PendingCall(destination);
            int session;
            // Wraps after 0x7fffffff like skynet's sessions, skipping any session still waiting.
            do session = Interlocked.Increment(ref _lastSession) & int.MaxValue; while (session == 0 || !_pending.TryAdd(session, call));
            timeout ??= node.Options.CallTimeout;
            var delivery = node.Deliver(destination, new Envelope((int)type, session, Handle, payload));
            if (delivery != Delivery.Delivered)
            {
                _pending.TryRemove(session, out _);
                return Task.FromException<object?>(new CallFailedException(destination, FailureOf(delivery), node.DescribeRefusal(destination, delivery)));
            }
            if (timeout is { } limit)
            {
                call.Timer = new CancellationTokenSource(limit, node.Options.TimeProvider);
                call.Timer.Token.UnsafeRegister(static (state, _) =>
                {
                    var (port, session, limit) = ((ClientPort, int, TimeSpan))state!;
                    port.Fail(session, new CallError(CallFailure.Timeout, $"no reply within {limit}"));
                }, (this, session, limit));
            }
            if (cancellationToken.CanBeCanceled)
            {
                call.Registration = cancellationToken.UnsafeRegister(static (state, token) =>
                {
                    var (port, session) = ((ClientPort, int))state!;
                    if (port._pending.TryRemove(session, out var pending)) pending.TrySetCanceled(token);
                }, (this, session));
            }
            return call.Task;
        }

        public Delivery Deliver(in Envelope envelope)
        {
            if (envelope.Type == (int)PType.Response)
            {
                if (!_pending.TryRemove(envelope.Session, out var call)) return Delivery.Delivered;
                Dispose(call);
                call.TrySetResult(envelope.Payload);
                return Delivery.Delivered;
            }
            if (envelope.Type == (int)PType.Error)
            {
                Fail(envelope.Session, CallError.From(envelope.Payload));
                return Delivery.Delivered;
            }
            return Delivery.Delivered; // one-way mail to the outside world has no reader; accepted and dropped
        }

        void Fail(int session, CallError error)
        {
            if (!_pending.TryRemove(session, out var call)) return;
            Dispose(call);
            call.TrySetException(new CallFailedException(call.Target, error.Failure, error.Reason));
        }

        static void Dispose(PendingCall call)
        {
            call.Registration.Dispose();
            call.Timer?.Dispose();
        }
    }
}
