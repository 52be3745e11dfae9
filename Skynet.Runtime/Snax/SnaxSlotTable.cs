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

    /// <summary>The slot index of <paramref name="method"/>.</summary>
    /// <exception cref="ArgumentException">The service has no <c>[Accept]</c>/<c>[Response]</c> method of that name.</exception>
    public int IndexOf(string method)
    {
        ArgumentNullException.ThrowIfNull(method);
        for (var i = 0; i < _methods.Length; i++)
            if (_methods[i].Name == method) return i;
        throw new ArgumentException($"No [Accept] or [Response] method is named '{method}'; the slots are: {string.Join(", ", _methods.Select(m => m.Name))}.", nameof(method));
    }

    /// <summary>Checks that <paramref name="replacement"/> fits slot <paramref name="index"/>.</summary>
    internal void Validate(int index, Delegate replacement)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        var expected = _methods[index].SlotType;
        if (!expected.IsInstanceOfType(replacement))
            throw new ArgumentException($"The slot '{_methods[index].Name}' takes a {Describe(expected)}; the replacement is a {Describe(replacement.GetType())}.", nameof(replacement));
    }

    /// <summary>Swaps the type-wide handler of <paramref name="method"/> for every instance (those without an instance swap of their own).</summary>
    /// <returns>The handler it replaced.</returns>
    public Delegate Swap(string method, Delegate replacement)
    {
        var index = IndexOf(method);
        Validate(index, replacement);
        lock (_gate) return Interlocked.Exchange(ref _slots[index], replacement);
    }

    /// <summary>Puts the generated handler of <paramref name="method"/> back for every instance.</summary>
    public void Reset(string method)
    {
        var index = IndexOf(method);
        lock (_gate) Volatile.Write(ref _slots[index], _defaults[index]);
    }

    static string Describe(Type type) =>
        type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(", ", type.GetGenericArguments().Select(Describe))}>" : type.Name;
}
