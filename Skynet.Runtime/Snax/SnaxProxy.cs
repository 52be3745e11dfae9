using System.ComponentModel;

namespace Skynet;

/// <summary>
/// A typed handle to a snax service (skynet's snax object): <c>proxy.Post.Method(...)</c> for <c>[Accept]</c>
/// methods and <c>await proxy.Req.Method(...)</c> for <c>[Response]</c> methods. The generator adds the
/// <c>Post</c> and <c>Req</c> views as extension properties. Usable from inside any service and from outside the
/// runtime; inside a service the messages come from that service.
/// </summary>
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
        Service.Current is { } current ? AwaitInside<TResult>(current.Call(Target, PType.Snax, message)) : AwaitOutside<TResult>(Node.Call(Target, PType.Snax, message));

    /// <summary>Sends a snax request whose method returns nothing and waits for it.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public ValueTask Request(SnaxMessage message) =>
        Service.Current is { } current ? AwaitInside(current.Call(Target, PType.Snax, message)) : new ValueTask(Node.Call(Target, PType.Snax, message));

    // The default builder on purpose: its Task-based box resumes the awaiting coroutine inline when the reply is
    // handled, as skynet resumes a coroutine; a pooling box would post every resumption back through the mailbox.
    static async ValueTask<TResult> AwaitInside<TResult>(ValueTask<object?> pending) => (TResult)(await pending)!;

    static async ValueTask AwaitInside(ValueTask<object?> pending) => await pending;

    static async ValueTask<TResult> AwaitOutside<TResult>(Task<object?> pending) => (TResult)(await pending.ConfigureAwait(false))!;

    /// <inheritdoc/>
    public override string ToString() => $"{typeof(T).Name} {Target}";
}
