using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace Skynet;

/// <summary>
/// The hot-fixable slots of one snax service type: each <c>[Accept]</c>/<c>[Response]</c> handler is a delegate that
/// takes the service instance first. The generated dispatch table calls through these slots, so swapping one changes
/// the behaviour of every instance while each keeps its state. Per-instance swaps take precedence
/// (<see cref="SnaxHotfix"/>).
/// </summary>
public sealed class SnaxSlotTable
{
    readonly SnaxMethodInfo[] _methods;
    readonly Delegate[] _defaults;
    readonly Delegate[] _slots;
    readonly object _gate = new();

    /// <summary>Creates the table (generated code).</summary>
    /// <param name="methods">The methods, in slot order.</param>
    /// <param name="defaults">The original handler of each method, in the same order.</param>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public SnaxSlotTable(SnaxMethodInfo[] methods, Delegate[] defaults)
    {
        ArgumentNullException.ThrowIfNull(methods);
        ArgumentNullException.ThrowIfNull(defaults);
        if (methods.Length != defaults.Length) throw new ArgumentException("One default handler per method is needed.", nameof(defaults));
        _methods = methods;
        _defaults = defaults;
        _slots = (Delegate[])defaults.Clone();
    }

    /// <summary>The methods, in slot order.</summary>
    public IReadOnlyList<SnaxMethodInfo> Methods => _methods;

    /// <summary>The current type-wide handler of slot <paramref name="index"/> (generated dispatch code).</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public Delegate this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Volatile.Read(ref _slots[index]);
    }

    /// <summary>The slot index of <paramref name="method"/>, a handler name that is not overloaded.</summary>
    /// <exception cref="ArgumentException">
    /// The service has no <c>[Accept]</c>/<c>[Response]</c> method of that name, or several (overloads): then address
    /// the slot by method id (<see cref="IndexOf(int)"/>) or by name and parameter types
    /// (<see cref="IndexOf(string, Type[])"/>).
    /// </exception>
    public int IndexOf(string method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var found = -1;
        for (var i = 0; i < _methods.Length; i++)
        {
            if (_methods[i].Name != method) continue;
            if (found >= 0)
                throw new ArgumentException($"'{method}' is overloaded: {string.Join(", ", _methods.Where(m => m.Name == method))}. Address the slot by method id or by name and parameter types.", nameof(method));
            found = i;
        }
        if (found < 0) throw NoSuchMethod(method);
        return found;
    }

    /// <summary>The slot index of the overload of <paramref name="method"/> whose parameters are exactly <paramref name="parameterTypes"/>.</summary>
    /// <exception cref="ArgumentException">No <c>[Accept]</c>/<c>[Response]</c> method has that name and those parameter types.</exception>
    public int IndexOf(string method, params Type[] parameterTypes)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(parameterTypes);
        for (var i = 0; i < _methods.Length; i++)
            if (_methods[i].Name == method && _methods[i].ParameterTypes.SequenceEqual(parameterTypes)) return i;
        throw new ArgumentException(
            $"No [Accept] or [Response] method is {method}({string.Join(", ", parameterTypes.Select(t => t?.Name))}); the slots are: {string.Join(", ", _methods.AsEnumerable())}.",
            nameof(parameterTypes));
    }

    /// <summary>The slot index of the method whose id (<see cref="SnaxMethodInfo.Id"/>, a hash of its name or its <c>[Id(n)]</c>) is <paramref name="methodId"/>.</summary>
    /// <exception cref="ArgumentException">No <c>[Accept]</c>/<c>[Response]</c> method has that id.</exception>
    public int IndexOf(int methodId)
    {
        for (var i = 0; i < _methods.Length; i++)
            if (_methods[i].Id == methodId) return i;
        throw new ArgumentException($"No [Accept] or [Response] method has the id {methodId}; the slots are: {string.Join(", ", _methods.AsEnumerable())}.", nameof(methodId));
    }

    ArgumentException NoSuchMethod(string method) =>
        new($"No [Accept] or [Response] method is named '{method}'; the slots are: {string.Join(", ", _methods.AsEnumerable())}.", nameof(method));

    /// <summary>Checks that <paramref name="replacement"/> fits slot <paramref name="index"/>.</summary>
    internal void Validate(int index, Delegate replacement)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        var expected = _methods[index].SlotType;
        if (!expected.IsInstanceOfType(replacement))
            throw new ArgumentException($"The slot {_methods[index]} takes a {Describe(expected)}; the replacement is a {Describe(replacement.GetType())}.", nameof(replacement));
    }

    /// <summary>Swaps the type-wide handler of <paramref name="method"/> (a name that is not overloaded) for every instance (those without an instance swap of their own).</summary>
    /// <returns>The handler it replaced.</returns>
    /// <exception cref="ArgumentException">No such method, an overloaded name (use <see cref="Swap(int, Delegate)"/>), or the delegate has the wrong type.</exception>
    public Delegate Swap(string method, Delegate replacement) => SwapAt(IndexOf(method), replacement);

    /// <summary>Swaps the type-wide handler of the method with id <paramref name="methodId"/> for every instance (those without an instance swap of their own).</summary>
    /// <returns>The handler it replaced.</returns>
    /// <exception cref="ArgumentException">No method has that id, or the delegate has the wrong type.</exception>
    public Delegate Swap(int methodId, Delegate replacement) => SwapAt(IndexOf(methodId), replacement);

    /// <summary>Puts the generated handler of <paramref name="method"/> (a name that is not overloaded) back for every instance.</summary>
    /// <exception cref="ArgumentException">No such method, or an overloaded name (use <see cref="Reset(int)"/>).</exception>
    public void Reset(string method) => ResetAt(IndexOf(method));

    /// <summary>Puts the generated handler of the method with id <paramref name="methodId"/> back for every instance.</summary>
    /// <exception cref="ArgumentException">No method has that id.</exception>
    public void Reset(int methodId) => ResetAt(IndexOf(methodId));

    /// <summary>Swaps the type-wide handler of slot <paramref name="index"/> (hotfix patches and their rollbacks).</summary>
    internal Delegate SwapAt(int index, Delegate replacement)
    {
        Validate(index, replacement);
        lock (_gate) return Interlocked.Exchange(ref _slots[index], replacement);
    }

    void ResetAt(int index)
    {
        lock (_gate) Volatile.Write(ref _slots[index], _defaults[index]);
    }

    static string Describe(Type type) =>
        type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(", ", type.GetGenericArguments().Select(Describe))}>" : type.Name;
}
