using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace Skynet;

/// <summary>
/// skynet's snax API for <c>[Service]</c> classes. The generator adds the typed members for each service:
/// <c>Snax.NewService&lt;T&gt;(init arguments)</c>, <c>Snax.UniqueService&lt;T&gt;(init arguments)</c> and
/// <c>Snax.Kill(proxy, exit arguments)</c>; the generic members here work for any snax service. Inside a service
/// they use that service's node; the overloads taking a <see cref="SkynetNode"/> work from anywhere.
/// </summary>
public static class Snax
{
    /// <summary>A proxy for the <typeparamref name="T"/> service at <paramref name="address"/> (skynet's <c>snax.bind</c>).</summary>
    public static SnaxProxy<T> Bind<T>(Address address) where T : Service, ISnaxService<T> => new(CurrentNode(), address);

    /// <summary>A proxy for the <typeparamref name="T"/> service at <paramref name="address"/> on <paramref name="node"/>.</summary>
    public static SnaxProxy<T> Bind<T>(SkynetNode node, Address address) where T : Service, ISnaxService<T> => new(node, address);

    /// <summary>A proxy for the running service itself (skynet's <c>snax.self</c>).</summary>
    /// <exception cref="InvalidOperationException">Not called from inside a <typeparamref name="T"/>.</exception>
    public static SnaxProxy<T> Self<T>() where T : Service, ISnaxService<T> =>
        Service.Current is T self ? new(self.Node, self.Self) : throw new InvalidOperationException($"Snax.Self<{typeof(T).Name}>() must be called inside a {typeof(T).Name}.");

    /// <summary>Waits until the unique <typeparamref name="T"/> service exists (skynet's <c>snax.queryservice</c>).</summary>
    /// <exception cref="TimeoutException">It did not appear within <paramref name="timeout"/>.</exception>
    public static Task<SnaxProxy<T>> QueryService<T>(TimeSpan? timeout = null, CancellationToken cancellationToken = default) where T : Service, ISnaxService<T> =>
        QueryService<T>(CurrentNode(), timeout, cancellationToken);

    /// <summary>Waits until the unique <typeparamref name="T"/> service exists on <paramref name="node"/>.</summary>
    public static async Task<SnaxProxy<T>> QueryService<T>(SkynetNode node, TimeSpan? timeout = null, CancellationToken cancellationToken = default) where T : Service, ISnaxService<T>
    {
        ArgumentNullException.ThrowIfNull(node);
        var address = await node.QueryService(UniqueName<T>(), timeout, cancellationToken).ConfigureAwait(false);
        return new SnaxProxy<T>(node, address);
    }

    /// <summary>The unique-service name snax services of type <typeparamref name="T"/> are registered under.</summary>
    public static string UniqueName<T>() where T : Service => "snax:" + typeof(T).FullName;

    /// <summary>Starts <paramref name="instance"/> with already-copied init arguments (generated <c>NewService</c>).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static async Task<SnaxProxy<T>> Launch<T>(SkynetNode? node, T instance, object?[] args) where T : Service, ISnaxService<T>
    {
        node ??= CurrentNode();
        var address = await node.NewService(instance, args).ConfigureAwait(false);
        return new SnaxProxy<T>(node, address);
    }

    /// <summary>
    /// Creates a <typeparamref name="T"/> as the node creates any service (<see cref="SkynetOptions.ServiceFactory"/>,
    /// so constructor injection under <c>AddSkynet</c>, else the parameterless constructor) and starts it with
    /// already-copied init arguments (generated <c>NewService</c>).
    /// </summary>
    /// <exception cref="ServiceStartException">It could not be created (a constructor argument nobody provides), or its start failed.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static async Task<SnaxProxy<T>> Launch<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(SkynetNode? node, object?[] args)
        where T : Service, ISnaxService<T>
    {
        node ??= CurrentNode();
        var address = await node.NewService<T>(args).ConfigureAwait(false);
        return new SnaxProxy<T>(node, address);
    }

    /// <summary>Starts or finds the unique <typeparamref name="T"/> (generated <c>UniqueService</c>), created as <see cref="Launch{T}(SkynetNode?, object?[])"/> creates it.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static async Task<SnaxProxy<T>> LaunchUnique<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(SkynetNode? node, object?[] args)
        where T : Service, ISnaxService<T>
    {
        node ??= CurrentNode();
        var name = UniqueName<T>();
        if (!node.IsRegistered(name))
        {
            try { node.AddService<T>(name); }
            catch (InvalidOperationException) when (node.IsRegistered(name)) { } // another caller registered it first
        }
        var address = await node.UniqueService(name, args).ConfigureAwait(false);
        return new SnaxProxy<T>(node, address);
    }

    /// <summary>
    /// Asks the service to exit with an exit message and waits until it is gone: its <c>OnExit</c> has run to the end,
    /// as skynet's <c>snax.kill</c> returns after snaxd's exit handler (generated <c>Kill</c>). Requests that reach it
    /// while <c>OnExit</c> runs are still served.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static async Task KillWith<T>(SnaxProxy<T> proxy, SnaxMessage exit) where T : Service, ISnaxService<T>
    {
        ArgumentNullException.ThrowIfNull(proxy);
        var gone = proxy.Node.WhenGone(proxy.Target); // taken first: once gone, the address no longer finds the service
        await proxy.Request(exit);
        // A service killing itself cannot wait for its own end (its coroutines are abandoned when it goes).
        if (Service.Current?.Self != proxy.Target) await gone;
    }

    static SkynetNode CurrentNode() =>
        Service.Current?.Node ?? throw new InvalidOperationException("Outside a service, pass the SkynetNode to the Snax call (for example Snax.NewService<T>(node, ...)).");
}
