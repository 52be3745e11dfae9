namespace Skynet;

/// <summary>
/// Swaps the hot-fixable slots of snax services (the mechanism under skynet's <c>snax.hotfix</c>). A replacement is a
/// delegate of the slot's type (<see cref="SnaxMethodInfo.SlotType"/>): it gets the service instance first, so it
/// can read and write the instance's state, private fields included (through <c>UnsafeAccessor</c> or a patch
/// compiled with access to them). The service keeps its state; only the code changes.
/// </summary>
public static partial class SnaxHotfix
{
    /// <summary>The slots of <typeparamref name="T"/>.</summary>
    public static SnaxSlotTable Slots<T>() where T : Service, ISnaxService<T> => T.SnaxSlots;

    /// <summary>Swaps <paramref name="method"/> (a handler name that is not overloaded) for every instance of <typeparamref name="T"/>, running or future.</summary>
    /// <returns>The handler it replaced.</returns>
    /// <exception cref="ArgumentException">No such method, an overloaded name (address overloads by method id), or the delegate has the wrong type.</exception>
    public static Delegate SwapAll<T>(string method, Delegate replacement) where T : Service, ISnaxService<T> =>
        T.SnaxSlots.Swap(method, replacement);

    /// <summary>
    /// Swaps the method with id <paramref name="methodId"/> for every instance of <typeparamref name="T"/>, running or
    /// future. Overloads have distinct ids (<c>[Id(n)]</c>); <see cref="SnaxSlotTable.Methods"/> lists them, and
    /// <c>Slots&lt;T&gt;().Methods[Slots&lt;T&gt;().IndexOf(name, parameterTypes)].Id</c> finds one by signature.
    /// </summary>
    /// <returns>The handler it replaced.</returns>
    /// <exception cref="ArgumentException">No method has that id, or the delegate has the wrong type.</exception>
    public static Delegate SwapAll<T>(int methodId, Delegate replacement) where T : Service, ISnaxService<T> =>
        T.SnaxSlots.Swap(methodId, replacement);

    /// <summary>Puts the generated handler of <paramref name="method"/> (a name that is not overloaded) back for every instance of <typeparamref name="T"/>.</summary>
    /// <exception cref="ArgumentException">No such method, or an overloaded name.</exception>
    public static void ResetAll<T>(string method) where T : Service, ISnaxService<T> => T.SnaxSlots.Reset(method);

    /// <summary>Puts the generated handler of the method with id <paramref name="methodId"/> back for every instance of <typeparamref name="T"/>.</summary>
    /// <exception cref="ArgumentException">No method has that id.</exception>
    public static void ResetAll<T>(int methodId) where T : Service, ISnaxService<T> => T.SnaxSlots.Reset(methodId);

    /// <summary>
    /// Swaps <paramref name="method"/> (a handler name that is not overloaded) for the one service behind
    /// <paramref name="proxy"/>; null puts the type-wide handler back. The swap happens inside the service, between
    /// two of its messages.
    /// </summary>
    /// <returns>Completes once the swap is in place; its result is the instance's previous override, or null.</returns>
    /// <exception cref="ArgumentException">No such method, an overloaded name (address overloads by method id), or the delegate has the wrong type.</exception>
    /// <exception cref="CallFailedException">No service lives at the proxy's address.</exception>
    public static Task<Delegate?> Swap<T>(SnaxProxy<T> proxy, string method, Delegate? replacement) where T : Service, ISnaxService<T>
    {
        ArgumentNullException.ThrowIfNull(proxy);
        return SwapAt(proxy, T.SnaxSlots.IndexOf(method), replacement);
    }

    /// <summary>
    /// Swaps the method with id <paramref name="methodId"/> (see <see cref="SwapAll{T}(int, Delegate)"/>) for the one
    /// service behind <paramref name="proxy"/>; null puts the type-wide handler back. The swap happens inside the
    /// service, between two of its messages.
    /// </summary>
    /// <returns>Completes once the swap is in place; its result is the instance's previous override, or null.</returns>
    /// <exception cref="ArgumentException">No method has that id, or the delegate has the wrong type.</exception>
    /// <exception cref="CallFailedException">No service lives at the proxy's address.</exception>
    public static Task<Delegate?> Swap<T>(SnaxProxy<T> proxy, int methodId, Delegate? replacement) where T : Service, ISnaxService<T>
    {
        ArgumentNullException.ThrowIfNull(proxy);
        return SwapAt(proxy, T.SnaxSlots.IndexOf(methodId), replacement);
    }

    static Task<Delegate?> SwapAt<T>(SnaxProxy<T> proxy, int index, Delegate? replacement) where T : Service, ISnaxService<T>
    {
        var table = T.SnaxSlots;
        if (replacement is not null) table.Validate(index, replacement);
        if (Service.Current is T self && self.Self == proxy.Target)
            return Task.FromResult(Exchange(self, table, index, replacement));
        var done = new TaskCompletionSource<Delegate?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var delivered = proxy.Node.Invoke(proxy.Target, service =>
        {
            if (service is T typed) done.TrySetResult(Exchange(typed, table, index, replacement));
            else done.TrySetException(new ArgumentException($"{proxy.Target} is a {service.GetType().Name}, not a {typeof(T).Name}."));
        });
        if (!delivered)
            done.TrySetException(new CallFailedException(proxy.Target, CallFailure.UnknownAddress, proxy.Node.DescribeUnreachable(proxy.Target)));
        return done.Task;
    }

    static Delegate? Exchange(Service service, SnaxSlotTable table, int index, Delegate? replacement)
    {
        var slots = service.SnaxInstanceSlots ??= new Delegate?[table.Methods.Count];
        var previous = slots[index];
        slots[index] = replacement;
        return previous;
    }
}
