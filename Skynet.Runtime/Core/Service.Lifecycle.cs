using Microsoft.Extensions.Logging;

namespace Skynet;

public abstract partial class Service
{
    /// <summary>
    /// Ends this service after the current message (skynet's <c>skynet.exit</c>): <see cref="OnExit"/> runs, then
    /// every caller still waiting on it gets <see cref="CallFailure.ServiceExited"/>.
    /// </summary>
    /// <remarks>Forks queued but not started yet never run, as skynet's <c>exit</c> clears its fork queue. Requests that
    /// arrive while <see cref="OnExit"/> runs are still served (snaxd's rule); those still queued when it ends fail.</remarks>
    public void Exit()
    {
        EnsureInTurn();
        _exitRequested = true;
        DropQueuedForks();
    }

    /// <summary>Kills a service at once, without its exit hook (skynet's <c>skynet.kill</c>).</summary>
    public bool Kill(Address address) => Node.Kill(address);

    /// <summary>Stops the whole node at once, without exit hooks (skynet's <c>skynet.abort</c>).</summary>
    public void Abort() => Node.Abort();

    /// <summary>Starts a registered service with start arguments and waits until its <see cref="OnStart"/> finished (skynet's <c>skynet.newservice</c>).</summary>
    /// <exception cref="ServiceStartException">No such registration, or the service's start failed.</exception>
    public Task<Address> NewService(string name, params object?[] args) => Node.NewService(name, args);

    /// <summary>Starts a service of type <typeparamref name="T"/>.</summary>
    public Task<Address> NewService<[System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicConstructors)] T>(params object?[] args) where T : Service =>
        Node.NewService<T>(args);

    /// <summary>Starts the node's one service of that name, or returns the running one (skynet's <c>skynet.uniqueservice</c>).</summary>
    public Task<Address> UniqueService(string name, params object?[] args) => Node.UniqueService(name, args);

    /// <summary>Waits until the unique service <paramref name="name"/> exists (skynet's <c>skynet.queryservice</c>).</summary>
    public Task<Address> QueryService(string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        Node.QueryService(name, timeout, cancellationToken);

    /// <summary>Gives this service a local name, <c>.name</c> (skynet's <c>skynet.register</c>).</summary>
    public void Register(string name) => Node.Name(name, Self);

    /// <summary>Gives <paramref name="address"/> a local name (skynet's <c>skynet.name</c>).</summary>
    public void Name(string name, Address address) => Node.Name(name, address);

    /// <summary>Looks up a local name (skynet's <c>skynet.localname</c>); null when no service has it.</summary>
    public Address? LocalName(string name) => Node.LocalName(name);

    /// <summary>A snapshot of this service's counters (skynet's <c>skynet.stat</c>).</summary>
    public ServiceInfo GetInfo() => Node.Describe(this);

    internal long MessageCount => Interlocked.Read(ref _messageCount);
    internal long CpuTicks => Interlocked.Read(ref _cpuTicks);
    internal int ActiveCoroutines => Volatile.Read(ref _activeCoroutines);
    internal int PendingSessions { get { var sessions = _sessions; return sessions?.Count ?? 0; } }

    async ValueTask RunStart(StartRequest request)
    {
        _activeCoroutines++;
        try
        {
            await Coroutine.WithoutSession(this).Start(static start => start.Service.OnStart(start.Args), (Service: this, request.Args));
        }
        catch (Exception ex)
        {
            _activeCoroutines--;
            Log(LogLevel.Error, $"Service '{request.ServiceName}' failed to start: {ex.GetType().Name}: {ex.Message}", ex);
            Teardown($"its start failed: {ex.Message}");
            request.Completion.TrySetException(new ServiceStartException(request.ServiceName, Self, $"{ex.GetType().Name}: {ex.Message}", ex));
            return;
        }
        _activeCoroutines--;
        if (_state == Dead)
        {
            request.Completion.TrySetException(new ServiceStartException(request.ServiceName, Self, "it was killed while starting"));
            return;
        }
        _state = Running;
        if (_exitRequested)
        {
            // skynet's newservice returns nil when the service exits inside its start: no dying address is handed out.
            request.Completion.TrySetException(new ServiceStartException(request.ServiceName, Self, "it exited during its start (Exit() in OnStart)", exitedDuringStart: true));
            BeginExit();
            return;
        }
        request.Completion.TrySetResult(Self);
    }

    /// <summary>Asks for a graceful exit from outside the service (node shutdown).</summary>
    internal void RequestExit()
    {
        _exitRequested = true;
        _inbox.Wake();
    }

    /// <summary>Asks for an immediate end from outside the service.</summary>
    internal void RequestKill(string reason)
    {
        _killReason ??= reason;
        _inbox.Wake();
    }

    void BeginExit()
    {
        _state = Exiting;
        _ = RunExit();
    }

    async ValueTask RunExit()
    {
        await RunCoroutine(OnExit, "Exit hook");
        Teardown("it exited");
    }

    /// <summary>
    /// Removes the service: no more messages are taken, and everyone still waiting on it gets an error.
    /// Its own suspended coroutines are abandoned, as skynet drops a dead service's coroutines.
    /// </summary>
    void Teardown(string reason)
    {
        if (_state == Dead) return;
        var leftovers = CloseMailbox();
        var node = _node!;
        node.Release(this);
        var why = $"{Self} exited before replying: {reason}";
        foreach (var envelope in leftovers)
        {
            if (envelope.Type == ControlType.Start)
                ((StartRequest)envelope.Payload!).Completion.TrySetException(new ServiceStartException(_name, Self, reason));
            else if (!envelope.IsControl && envelope.Session != 0 && envelope.Type is not ((int)PType.Response or (int)PType.Error))
                ReplyError(new Address(envelope.Source), envelope.Session, CallFailure.ServiceExited, why);
        }
        if (_openRequests is { } open)
        {
            foreach (var request in open)
                if (request.TryClaimReply()) ReplyError(request.Source, request.Session, CallFailure.ServiceExited, why);
            open.Clear();
        }
        Responder[] responders;
        lock (_lifecycleLock) { responders = _responders is null ? [] : [.. _responders]; _responders = null; }
        foreach (var responder in responders) responder.Abandon(why);
        _sessions?.Clear();
        _sleepTokens?.Clear();
        _forks?.Clear();
        _wakeups?.Clear();
        MarkGone();
        node.Logger.LogDebug("[{Address}] {Service} is gone: {Reason}", Self, _name, reason);
    }
}
