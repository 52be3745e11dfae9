using System.ComponentModel;

namespace Skynet;

/// <summary>
/// Implemented by the generator on every <c>[Service]</c> class: skynet's Lua snax form of its methods, for calls that
/// cross the cluster as <c>skynet.pack(id, args...)</c> (see <see cref="SnaxCluster.EnableCluster{T}"/> and
/// <see cref="SnaxWireFormat.Lua"/>). Typed code, no reflection: each method converts its own arguments and result.
/// </summary>
/// <remarks>
/// Lua ids follow <c>snax.interface</c>: 1–4 are skynet's system ids (init, exit, hotfix, profile) and are served by
/// <see cref="SnaxCluster"/>; a service whose methods carry no <c>[Id(n)]</c> numbers its <c>[Accept]</c>/<c>[Response]</c>
/// methods 5, 6, ... in declaration order, as <c>snax.interface</c> numbers a Lua file's functions; once any method
/// pins an id, the Lua ids are the method ids.
/// </remarks>
/// <typeparam name="TSelf">The service type.</typeparam>
public interface ISnaxLuaService<TSelf>
    where TSelf : Service, ISnaxService<TSelf>, ISnaxLuaService<TSelf>
{
    /// <summary>The slot index (<see cref="SnaxSlotTable.Methods"/>) of the method with Lua id <paramref name="luaId"/>, or -1.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    static abstract int LuaSlot(int luaId);

    /// <summary>
    /// Runs the method with Lua id <paramref name="luaId"/> (5 and up) through its hot-fixable slot, with
    /// <paramref name="args"/> as they arrived (<c>args[0]</c> is the id) converted to its parameter types, and replies
    /// (a response method) with its result as Lua values.
    /// </summary>
    /// <exception cref="ArgumentException">No method has that Lua id, or an argument cannot become its parameter's type.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    static abstract ValueTask ServeLua(TSelf service, int luaId, object?[] args);

    /// <summary>skynet's system <c>exit</c> (Lua id 2, <c>snax.kill</c>): exits <paramref name="service"/> after this message, its <c>OnExit</c> getting <paramref name="args"/> from index 1.</summary>
    /// <exception cref="ArgumentException">An argument cannot become the <c>OnExit</c> parameter's type.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    static abstract void ExitFromLua(TSelf service, object?[] args);

    /// <summary>The Lua form of a request built by a proxy: its Lua id, then its arguments as Lua values.</summary>
    /// <exception cref="ArgumentException">The method has no Lua id (it pins one of skynet's system ids 1–4) or an argument has no Lua form.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    static abstract object?[] RequestToLua(SnaxMessage request);

    /// <summary>Converts a Lua reply to method <paramref name="methodId"/>'s result type (null for methods without a result).</summary>
    /// <exception cref="ArgumentException">The reply cannot become the result type.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    static abstract object? ResultFromLua(int methodId, object? value);
}
