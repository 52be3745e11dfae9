using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Skynet;

/// <summary>
/// Calls sent together whose replies are taken as they arrive (skynet's <c>skynet.request</c> and
/// <c>req:select(timeout)</c>). Build it with <see cref="Service.Request()"/> and <see cref="Add(Address, PType, object?)"/>,
/// then <c>await foreach</c> over <see cref="Select"/> inside the same service.
/// </summary>
/// <example>
/// <code>
/// await foreach (var reply in Request().Add(db1, "get", key).Add(db2, "get", key).Select(TimeSpan.FromSeconds(1)))
///     if (reply.Ok) return reply.Payload;    // the first answer wins; the rest are ignored
/// </code>
/// </example>
public sealed class CallBatch
{
    readonly Service _service;
    readonly List<(Address Destination, PType Type, object? Payload)> _calls = [];
    bool _selected;

    internal CallBatch(Service service) => _service = service;

    /// <summary>The calls added so far.</summary>
    public int Count => _calls.Count;

    /// <summary>Adds a call; it is sent when <see cref="Select"/> starts.</summary>
    public CallBatch Add(Address destination, PType type, object? payload)
    {
        if (_selected) throw new InvalidOperationException("This batch was already sent; build a new one with Request().");
        _calls.Add((destination, type, payload));
        return this;
    }

    /// <summary>Adds a <see cref="PType.Lua"/> call with an argument list.</summary>
    public CallBatch Add(Address destination, params object?[] args) => Add(destination, PType.Lua, args);

    /// <summary>
    /// Sends every call at once and yields each reply or failure as it arrives. With a <paramref name="timeout"/>, the
    /// enumeration ends when it passes (replies still missing are dropped, as skynet's select does); each call gets the
    /// same timeout, so nothing is left waiting behind it.
    /// </summary>
    /// <exception cref="InvalidOperationException">Enumerated twice, or outside the service that built the batch.</exception>
    public async IAsyncEnumerable<CallReply> Select(TimeSpan? timeout = null)
    {
        if (_selected) throw new InvalidOperationException("A batch is selected once; build a new one with Request().");
        if (Service.Current != _service) throw new InvalidOperationException($"Select the batch inside {_service.Self}, the service that built it.");
        _selected = true;
        var deadline = timeout is { } limit ? Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        var arrived = new Queue<CallReply>();
        var token = new object(); // the selector sleeps on it; each arrival wakes it
        for (var i = 0; i < _calls.Count; i++)
            _ = Collect(i, timeout, arrived, token);
        var outstanding = _calls.Count;
        while (outstanding > 0)
        {
            if (arrived.TryDequeue(out var reply))
            {
                outstanding--;
                yield return reply;
                continue;
            }
            if (timeout is null)
            {
                await _service.Wait(token);
                continue;
            }
            var remaining = deadline - Stopwatch.GetTimestamp();
            if (remaining <= 0 || !await _service.Sleep(TimeSpan.FromSeconds(remaining / (double)Stopwatch.Frequency), token))
                yield break;
        }
    }

    async ValueTask Collect(int index, TimeSpan? timeout, Queue<CallReply> arrived, object token)
    {
        var (destination, type, payload) = _calls[index];
        CallReply reply;
        try
        {
            reply = new CallReply(index, destination, await _service.Call(destination, type, payload, timeout), null);
        }
        catch (Exception ex)
        {
            reply = new CallReply(index, destination, null, ex);
        }
        arrived.Enqueue(reply);
        _service.Wakeup(token);
    }
}
