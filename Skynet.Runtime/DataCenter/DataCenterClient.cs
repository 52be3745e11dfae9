namespace Skynet;

/// <summary>
/// Reads, writes and waits on one node's datacenter (skynet's <c>skynet.datacenter</c>). Get one with
/// <see cref="DataCenter.On"/>; inside a service the static <see cref="DataCenter"/> methods do the same for its node.
/// </summary>
/// <remarks>
/// A path is one or more keys (strings or numbers, compared with <see cref="object.Equals(object?)"/>: <c>1</c> and
/// <c>1L</c> are different keys). Setting a deeper path creates the branches above it; reading a branch gives an
/// immutable snapshot (<see cref="IReadOnlyDictionary{TKey, TValue}"/>), never the live tree.
/// </remarks>
public sealed class DataCenterClient
{
    readonly SkynetNode _node;

    internal DataCenterClient(SkynetNode node) => _node = node;

    /// <summary>The value at <paramref name="path"/>, a snapshot of the branch there, or null (skynet's <c>datacenter.get</c>).</summary>
    public async Task<object?> Get(params object[] path)
    {
        DataCenterPath.Check(path);
        return await _node.Call(await Service().ConfigureAwait(false), PType.Lua, new object?[] { "QUERY", path }).ConfigureAwait(false);
    }

    /// <summary>The value at <paramref name="path"/> as <typeparamref name="T"/>, or default when there is none.</summary>
    /// <exception cref="InvalidCastException">The stored value is not a <typeparamref name="T"/>.</exception>
    public async Task<T?> Get<T>(params object[] path) => await Get(path).ConfigureAwait(false) switch
    {
        null => default,
        T value => value,
        var other => throw new InvalidCastException($"datacenter {DataCenterPath.Format(path)} holds a {other.GetType().Name}, not a {typeof(T).Name}."),
    };

    /// <summary>
    /// Sets the value at a path (skynet's <c>datacenter.set(key..., value)</c>): the last argument is the value, the
    /// ones before it the keys. A null value removes the key. Waiters of the path, and of the branches above it, wake up.
    /// </summary>
    /// <returns>The value that was there before, or null.</returns>
    public async Task<object?> Set(params object?[] pathAndValue)
    {
        ArgumentNullException.ThrowIfNull(pathAndValue);
        if (pathAndValue.Length < 2) throw new ArgumentException("Set takes one or more keys and then the value, like Set(\"multicast\", 1, address).", nameof(pathAndValue));
        var path = DataCenterPath.Check(pathAndValue[..^1]!);
        return await _node.Call(await Service().ConfigureAwait(false), PType.Lua, new object?[] { "UPDATE", path, pathAndValue[^1] }).ConfigureAwait(false);
    }

    /// <summary>The value at <paramref name="path"/>; if there is none yet, waits until it is set (skynet's <c>datacenter.wait</c>).</summary>
    public Task<object?> Wait(params object[] path) => Wait(path, timeout: null);

    /// <summary>Like <see cref="Wait(object[])"/>, giving up after <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">Nothing was set at the path within <paramref name="timeout"/>.</exception>
    public async Task<object?> Wait(object[] path, TimeSpan? timeout)
    {
        DataCenterPath.Check(path);
        if (timeout is { } limit && limit < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "Use a positive timeout, or null to wait without one.");
        var result = await _node.Call(await Service().ConfigureAwait(false), PType.Lua, new object?[] { "WAIT", path, timeout }).ConfigureAwait(false);
        return result is DataCenterTimedOut
            ? throw new TimeoutException($"datacenter {DataCenterPath.Format(path)} was not set within {timeout}.")
            : result;
    }

    // Looked up each time (a dictionary read), so a service restarted after it was killed is found again.
    async ValueTask<Address> Service() =>
        _node.LocalName(DataCenterService.LocalServiceName) ?? await DataCenter.Start(_node).ConfigureAwait(false);
}
