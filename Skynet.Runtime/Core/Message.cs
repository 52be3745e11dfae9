namespace Skynet;

/// <summary>
/// A message as a dispatch function sees it: skynet's <c>(type, session, source, payload)</c>.
/// In-process payloads are objects, never bytes: the runtime hands over the reference the sender gave.
/// </summary>
/// <param name="Type">The protocol the message belongs to.</param>
/// <param name="Session">Non-zero when the sender waits for a reply (a request made with <c>Call</c>).</param>
/// <param name="Source">The sending service, or <see cref="Address.None"/> when sent from outside the runtime.</param>
/// <param name="Payload">What the sender passed. For <see cref="PType.Lua"/> sent with argument lists, an <c>object?[]</c>.</param>
public readonly record struct Message(PType Type, int Session, Address Source, object? Payload)
{
    /// <summary>True when the sender waits for a reply.</summary>
    public bool IsRequest => Session != 0;

    /// <summary>The payload as an argument list (skynet's unpacked <c>...</c>); a non-array payload is a one-element list.</summary>
    public object?[] Args => Payload as object?[] ?? [Payload];

    /// <summary>The payload as bytes, as <c>RawSend</c>/<c>RawCall</c> and network edges deliver them (a <c>byte[]</c> or a <see cref="ReadOnlyMemory{T}"/>).</summary>
    /// <exception cref="InvalidOperationException">The payload is not bytes.</exception>
    public ReadOnlyMemory<byte> Bytes => AsBytes(Payload, Source);

    internal static ReadOnlyMemory<byte> AsBytes(object? payload, Address from) => payload switch
    {
        ReadOnlyMemory<byte> memory => memory,
        byte[] array => array,
        Memory<byte> memory => memory,
        null => ReadOnlyMemory<byte>.Empty,
        _ => throw new InvalidOperationException($"The payload from {from} is {payload.GetType().Name}, not bytes; use Call/Payload for objects."),
    };

    /// <summary>Argument <paramref name="index"/> of <see cref="Args"/>, converted to <typeparamref name="T"/>.</summary>
    /// <exception cref="ArgumentException">The message has no such argument or it has another type.</exception>
    public T Arg<T>(int index)
    {
        var args = Args;
        if ((uint)index >= (uint)args.Length)
            throw new ArgumentException($"The message from {Source} has {args.Length} argument(s); argument {index} was asked for.", nameof(index));
        return args[index] is T value ? value
            : args[index] is null && default(T) is null ? default!
            : throw new ArgumentException($"Argument {index} of the message from {Source} is {args[index]?.GetType().Name ?? "null"}, not {typeof(T).Name}.", nameof(index));
    }
}

/// <summary>A protocol's dispatch function (skynet's <c>skynet.dispatch(name, function(session, source, ...))</c>).</summary>
/// <remarks>Returns at once or suspends; while it is suspended the service handles its other messages.</remarks>
public delegate ValueTask MessageHandler(Message message);
