using System.ComponentModel;

namespace Skynet;

/// <summary>
/// A typed handle to a snax service (skynet's snax object): <c>proxy.Post.Method(...)</c> for <c>[Accept]</c>
/// methods and <c>await proxy.Req.Method(...)</c> for <c>[Response]</c> methods. The generator adds the
/// <c>Post</c> and <c>Req</c> views as extension properties. Usable from inside any service and from outside the
/// runtime; inside a service the messages come from that service.
/// </summary>
/// <remarks>
/// Call options travel with the proxy: <c>db.WithTimeout(TimeSpan.FromSeconds(2)).Req.Get(k)</c> and
/// <c>db.WithCancellation(ct).Req.Get(k)</c> return a configured copy, so every generated <c>Req</c> method gets
/// them without an extra parameter that could collide with the method's own. A proxy without a timeout uses the
/// node's <see cref="SkynetOptions.CallTimeout"/> (none by default, as in skynet).
/// </remarks>
/// <typeparam name="T">The service type.</typeparam>
public sealed class SnaxProxy<T>
    where T : Service, ISnaxService<T>
{
    /// <summary>Creates a proxy for the service at <paramref name="target"/> on <paramref name="node"/>.</summary>
    public SnaxProxy(SkynetNode node, Address target)
    {
        ArgumentNullException.ThrowIfNull(node);
        Node = node;
        Target = target;
    }

    SnaxProxy(SnaxProxy<T> from, TimeSpan? timeout, CancellationToken cancellationToken)
        : this(from.Node, from.Target)
    {
        CallTimeout = timeout;
        CancellationToken = cancellationToken;
    }

    /// <summary>How long its requests wait for a reply before failing with <see cref="CallFailure.Timeout"/>; null uses the node's default.</summary>
    public TimeSpan? CallTimeout { get; }

    /// <summary>Abandons its requests' waits with <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>A proxy to the same service whose requests fail with <see cref="CallFailure.Timeout"/> after <paramref name="timeout"/>.</summary>
    /// <example><c>string? v = await db.WithTimeout(TimeSpan.FromSeconds(2)).Req.Get("name");</c></example>
    public SnaxProxy<T> WithTimeout(TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        return new(this, timeout, CancellationToken);
    }

    /// <summary>A proxy to the same service whose requests stop waiting when <paramref name="cancellationToken"/> is cancelled.</summary>
    public SnaxProxy<T> WithCancellation(CancellationToken cancellationToken) => new(this, CallTimeout, cancellationToken);

    /// <summary>The service's address (skynet's <c>obj.handle</c>).</summary>
    public Address Target { get; }

    /// <summary>The node the proxy sends through when used from outside any service.</summary>
    public SkynetNode Node { get; }

    /// <summary>Sends a one-way snax message (generated <c>Post</c> views).</summary>
    /// <returns>False when no service lives at <see cref="Target"/>; the message is dropped, as in skynet.</returns>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public bool PostMessage(SnaxMessage message) =>
        Service.Current is { } current ? current.Send(Target, PType.Snax, message) : Node.Send(Target, PType.Snax, message);

    /// <summary>Sends a snax request and returns its result (generated <c>Req</c> views).</summary>
    /// <exception cref="CallFailedException">The service is gone, exited, or its handler threw.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public ValueTask<TResult> Request<TResult>(SnaxMessage message) =>
        Service.Current is not { } current
            ? AwaitOutside<TResult>(Node.Call(Target, PType.Snax, message, CallTimeout, CancellationToken))
            : current.StartCall(Target, PType.Snax, message, CallTimeout, CancellationToken, out var failure) is { } session
            ? SnaxReply<TResult>.Await(session)
            : ValueTask.FromException<TResult>(failure!);

    /// <summary>Sends a snax request whose method returns nothing and waits for it.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public ValueTask Request(SnaxMessage message) =>
        Service.Current is not { } current
            ? new ValueTask(Node.Call(Target, PType.Snax, message, CallTimeout, CancellationToken))
            : current.StartCall(Target, PType.Snax, message, CallTimeout, CancellationToken, out var failure) is { } session
            ? session.AsTask()
            : ValueTask.FromException(failure!);

    static async ValueTask<TResult> AwaitOutside<TResult>(Task<object?> pending) => (TResult)(await pending.ConfigureAwait(false))!;

    /// <inheritdoc/>
    public override string ToString() => $"{typeof(T).Name} {Target}";
}
