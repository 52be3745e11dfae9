using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Skynet;

public abstract partial class Service
{
    /// <summary>
    /// Sends bytes as they are, with no packing (skynet's <c>skynet.rawsend</c>). The receiver's payload is the
    /// <see cref="ReadOnlyMemory{T}"/> given (<see cref="Message.Bytes"/> reads it).
    /// </summary>
    /// <returns>False when the message was dropped (no such service, or its mailbox is full).</returns>
    public bool RawSend(Address destination, PType type, ReadOnlyMemory<byte> message) =>
        Node.Route(destination, new Envelope((int)type, 0, _handle, message));

    /// <summary>
    /// Calls with bytes and returns the reply's bytes, unpacking nothing (skynet's <c>skynet.rawcall</c>).
    /// </summary>
    /// <exception cref="CallFailedException">As for <see cref="Call(Address, PType, object?, TimeSpan?, CancellationToken)"/>.</exception>
    /// <exception cref="InvalidOperationException">The callee replied with something that is not bytes.</exception>
    public async ValueTask<ReadOnlyMemory<byte>> RawCall(Address destination, PType type, ReadOnlyMemory<byte> message, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var reply = await Call(destination, type, message, timeout, cancellationToken);
        return Message.AsBytes(reply, destination);
    }

    /// <summary>Starts a batch of calls whose replies are taken as they arrive (skynet's <c>skynet.request</c>).</summary>
    public CallBatch Request()
    {
        EnsureInTurn();
        return new CallBatch(this);
    }

    /// <summary>Starts a batch with its first call.</summary>
    public CallBatch Request(Address destination, PType type, object? payload) => Request().Add(destination, type, payload);

    /// <summary>
    /// One of this service's counters, by skynet's names (skynet's <c>skynet.stat</c>): <c>"mqlen"</c> messages waiting,
    /// <c>"message"</c> messages handled, <c>"task"</c> suspended coroutines waiting on a session, <c>"cpu"</c> seconds
    /// spent in handlers (0 unless <see cref="SkynetOptions.Profile"/>), and beyond skynet <c>"dropped"</c> (messages
    /// refused by a full mailbox). <see cref="GetInfo"/> gives them all, typed.
    /// </summary>
    /// <exception cref="ArgumentException">Not one of the names above.</exception>
    public double Stat(string what) => what switch
    {
        "mqlen" => QueueLength,
        "message" => MessageCount,
        "task" => PendingSessions,
        "cpu" => CpuTicks / (double)Stopwatch.Frequency,
        "dropped" => DroppedMessages,
        _ => throw new ArgumentException($"Unknown stat '{what}'; use \"mqlen\", \"message\", \"task\", \"cpu\" or \"dropped\".", nameof(what)),
    };

    /// <summary>
    /// Fails every call this service is waiting on at <paramref name="service"/> as if it had exited (skynet's
    /// <c>skynet.term</c>): for a peer known to be gone, such as a remote node that dropped off.
    /// </summary>
    /// <returns>How many calls were failed.</returns>
    public int Term(Address service)
    {
        EnsureInTurn();
        if (_sessions is null) return 0;
        List<int>? ended = null;
        foreach (var (session, source) in _sessions)
            if (source.Target == service && source.Callback is null && source.Token is null) (ended ??= []).Add(session);
        if (ended is null) return 0;
        foreach (var session in ended)
            FailSession(session, new CallError(CallFailure.ServiceExited, $"{service} was terminated (Term)"));
        return ended.Count;
    }
}
