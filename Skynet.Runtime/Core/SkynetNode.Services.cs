using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;

namespace Skynet;

public sealed partial class SkynetNode
{
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, Func<Service>> _factories = new(StringComparer.Ordinal);
    readonly Dictionary<string, UniqueEntry> _uniques = new(StringComparer.Ordinal);

    sealed class UniqueEntry
    {
        public readonly TaskCompletionSource<Address> Ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public bool Launching;
    }

    /// <summary>Registers a service type under a name, for <see cref="NewService(string, object?[])"/> (skynet's service file name).</summary>
    public SkynetNode AddService(string name, Func<Service> factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(factory);
        if (!_factories.TryAdd(name, factory))
            throw new InvalidOperationException($"A service is already registered as '{name}'.");
        return this;
    }

    /// <summary>
    /// Registers <typeparamref name="T"/> under <paramref name="name"/> (default: the type's name). Instances come from
    /// <see cref="SkynetOptions.ServiceFactory"/> (the host's services under <c>AddSkynet</c>), else its parameterless constructor.
    /// </summary>
    public SkynetNode AddService<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(string? name = null) where T : Service =>
        AddService(name ?? typeof(T).Name, () => CreateService(typeof(T)));

    /// <summary>True when a service is registered under <paramref name="name"/>.</summary>
    public bool IsRegistered(string name) => _factories.ContainsKey(name);

    /// <summary>
    /// Starts a registered service and waits until its <see cref="Service.OnStart"/> finished
    /// (skynet's <c>skynet.newservice</c>).
    /// </summary>
    /// <exception cref="ServiceStartException">No such registration, or its start failed; the reason is in the message.</exception>
    public Task<Address> NewService(string name, params object?[] args)
    {
        if (!_factories.TryGetValue(name, out var factory))
            return Task.FromException<Address>(new ServiceStartException(name, Address.None, $"no service is registered as '{name}'; register it with AddService"));
        Service service;
        try
        {
            service = factory();
        }
        catch (Exception ex)
        {
            return Task.FromException<Address>(new ServiceStartException(name, Address.None, $"its factory threw {ex.GetType().Name}: {ex.Message}", ex));
        }
        return Launch(name, service, args);
    }

    /// <summary>Starts a service of type <typeparamref name="T"/>, registered or not, created as <see cref="AddService{T}"/> creates it.</summary>
    /// <exception cref="ServiceStartException">It could not be created (a constructor argument nobody provides), or its start failed.</exception>
    public Task<Address> NewService<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(params object?[] args) where T : Service
    {
        Service service;
        try
        {
            service = CreateService(typeof(T));
        }
        catch (Exception ex)
        {
            return Task.FromException<Address>(new ServiceStartException(typeof(T).Name, Address.None, ex.Message, ex));
        }
        return Launch(typeof(T).Name, service, args);
    }

    /// <summary>The one place the node constructs a service from its type: the options' factory, else the parameterless constructor.</summary>
    Service CreateService([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] Type type)
    {
        if (Options.ServiceFactory is { } factory)
            return factory(type) ?? throw new InvalidOperationException($"SkynetOptions.ServiceFactory returned null for {type.Name}.");
        if (type.GetConstructor(Type.EmptyTypes) is null)
            throw new InvalidOperationException(
                $"{type.Name} has no public parameterless constructor. Run the node under AddSkynet so services are built from the host's " +
                "IServiceProvider, set SkynetOptions.ServiceFactory, or start an instance you built with NewService(instance).");
        return (Service)Activator.CreateInstance(type)!;
    }

    /// <summary>Starts a service from an instance you built (for services that take constructor arguments).</summary>
    public Task<Address> NewService(Service instance, params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return Launch(instance.GetType().Name, instance, args);
    }

    long _memLimit = -1;

    /// <summary>
    /// A budget in bytes for the managed heap, 0 for none (skynet's <c>skynet.memlimit</c>, which bounds one Lua VM).
    /// .NET services share one heap, so the budget is the node's: while the heap is past it, <c>NewService</c> fails
    /// with a <see cref="ServiceStartException"/> that says so, as a skynet service cannot start past its limit.
    /// Running services are never stopped for it. Starts as <see cref="SkynetOptions.MemLimit"/>.
    /// </summary>
    public long MemLimit
    {
        get => _memLimit < 0 ? Options.MemLimit : _memLimit;
        set => _memLimit = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "Use 0 for no limit.");
    }

    Task<Address> Launch(string name, Service service, object?[] args)
    {
        if (NotRunningReason() is { } notRunning)
            return Task.FromException<Address>(new InvalidOperationException(notRunning));
        if (MemLimit is > 0 and var budget && GC.GetTotalMemory(forceFullCollection: false) is var heap && heap > budget)
            return Task.FromException<Address>(new ServiceStartException(name, Address.None, $"the managed heap ({heap} bytes) is past the node's MemLimit ({budget} bytes)"));
        if (service.IsAttached)
            return Task.FromException<Address>(new InvalidOperationException($"This {service.GetType().Name} instance already ran as {service.Self}; create a new instance per service."));
        var started = new TaskCompletionSource<Address>(TaskCreationOptions.RunContinuationsAsynchronously);
        _registry.Register(service, this, name);
        service.Enqueue(new Envelope(ControlType.Start, 0, 0, new StartRequest(args ?? [], started, name)));
        return started.Task;
    }

    /// <summary>
    /// Returns the node's one service named <paramref name="name"/>, starting it on first use
    /// (skynet's <c>skynet.uniqueservice</c>). Concurrent callers share one start; a failed start is retried by the next caller.
    /// </summary>
    public async Task<Address> UniqueService(string name, params object?[] args)
    {
        UniqueEntry entry;
        bool launch;
        lock (_uniques)
        {
            if (!_uniques.TryGetValue(name, out entry!)) _uniques[name] = entry = new UniqueEntry();
            launch = !entry.Launching;
            entry.Launching = true;
        }
        if (launch)
        {
            try
            {
                var address = await NewService(name, args).ConfigureAwait(false);
                if (_registry.Find(address.Value) is { } service) service.UniqueName = name;
                entry.Ready.TrySetResult(address);
            }
            catch (Exception ex)
            {
                lock (_uniques) if (_uniques.TryGetValue(name, out var current) && current == entry) _uniques.Remove(name);
                entry.Ready.TrySetException(ex);
            }
        }
        return await entry.Ready.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// Waits until the unique service <paramref name="name"/> exists (skynet's <c>skynet.queryservice</c>).
    /// </summary>
    /// <exception cref="TimeoutException">It did not appear within <paramref name="timeout"/>.</exception>
    public async Task<Address> QueryService(string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        Task<Address> ready;
        lock (_uniques)
        {
            if (!_uniques.TryGetValue(name, out var entry)) _uniques[name] = entry = new UniqueEntry();
            ready = entry.Ready.Task;
        }
        if (timeout is null && !cancellationToken.CanBeCanceled) return await ready.ConfigureAwait(false);
        try
        {
            return await ready.WaitAsync(timeout ?? System.Threading.Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The unique service '{name}' did not appear within {timeout}; start it with UniqueService.");
        }
    }

    /// <summary>Kills a service at once, without its exit hook (skynet's <c>skynet.kill</c>).</summary>
    /// <returns>False when no service lives at <paramref name="address"/>.</returns>
    public bool Kill(Address address)
    {
        var service = _registry.Find(address.Value);
        if (service is null) return false;
        service.RequestKill($"killed by {(Service.Current?.Self ?? Address.None)}");
        return true;
    }

    /// <summary>Forgets a dead service: its handle, names and unique-service entry.</summary>
    internal void Release(Service service)
    {
        _registry.Remove(service);
        RemoveNamesOf(service.Self);
        if (service.UniqueName is { } unique)
        {
            lock (_uniques)
            {
                if (_uniques.TryGetValue(unique, out var entry) && entry.Ready.Task.IsCompletedSuccessfully && entry.Ready.Task.Result == service.Self)
                    _uniques.Remove(unique);
            }
        }
    }

    /// <summary>Runs <paramref name="action"/> inside <paramref name="address"/>'s turn (node-level helpers such as the debug console).</summary>
    internal bool Invoke(Address address, Action<Service> action) =>
        Route(address, new Envelope(ControlType.Invoke, 0, 0, action));
}
