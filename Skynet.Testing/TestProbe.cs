namespace Skynet.Testing;

/// <summary>
/// A service that records every message it receives, so a test can hand its address to the code under test and
/// then wait for what arrives (Akka.TestKit's <c>TestProbe</c>). Start one with <see cref="SkynetTestNode.NewProbeAsync"/>.
/// </summary>
/// <remarks>
/// Requests are answered with <see cref="Reply"/>'s result (null by default), so a service that calls the probe is
/// never left waiting.
/// </remarks>
public sealed class TestProbe : Service
{
    readonly Lock _lock = new();
    readonly List<Message> _received = [];
    readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    int _cursor;

    /// <summary>Computes the answer to a request (a message sent with <c>Call</c>); null answers null.</summary>
    public Func<Message, object?>? Reply { get; set; }

    /// <summary>Every message received so far, in arrival order.</summary>
    public IReadOnlyList<Message> Received
    {
        get { lock (_lock) return [.. _received]; }
    }

    /// <summary>How many messages arrived so far.</summary>
    public int ReceivedCount
    {
        get { lock (_lock) return _received.Count; }
    }

    /// <inheritdoc/>
    protected override ValueTask OnStart(object?[] args)
    {
        foreach (var type in Enum.GetValues<PType>())
            if (type is not (PType.Response or PType.Error or PType.Trace)) Dispatch(type, Record); // the runtime owns replies and trace tags
        return default;
    }

    ValueTask Record(Message message)
    {
        if (message.IsRequest) Ret(Reply?.Invoke(message));
        List<TaskCompletionSource>? reached = null;
        lock (_lock)
        {
            _received.Add(message);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Count > _received.Count) continue;
                (reached ??= []).Add(_waiters[i].Reached);
                _waiters.RemoveAt(i);
            }
        }
        if (reached is not null) foreach (var done in reached) done.TrySetResult();
        return default;
    }

    /// <summary>Waits until at least <paramref name="count"/> messages have arrived in total.</summary>
    /// <exception cref="TimeoutException">Fewer arrived within <paramref name="timeout"/> (default 30 s of real time).</exception>
    public async Task WaitForCountAsync(int count, TimeSpan? timeout = null)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_received.Count >= count) return;
            _waiters.Add((count, reached));
        }
        var limit = timeout ?? SkynetTestNode.DefaultWaitTimeout;
        try
        {
            await reached.Task.WaitAsync(limit).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            lock (_lock) _waiters.RemoveAll(waiter => waiter.Reached == reached);
            throw new TimeoutException($"The probe {Self} received {ReceivedCount} message(s) within {limit}; {count} were expected.");
        }
    }

    /// <summary>Returns the next message not yet taken by this method, waiting for it if needed.</summary>
    /// <exception cref="TimeoutException">None arrived within <paramref name="timeout"/> (default 30 s of real time).</exception>
    public async Task<Message> ExpectMessageAsync(TimeSpan? timeout = null)
    {
        int index;
        lock (_lock) index = _cursor++;
        try
        {
            await WaitForCountAsync(index + 1, timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            lock (_lock) _cursor = Math.Min(_cursor, index);
            throw;
        }
        lock (_lock) return _received[index];
    }

    /// <summary>Returns the next message's argument list (a <c>Send(address, args...)</c>), waiting for it if needed.</summary>
    public async Task<object?[]> ExpectArgsAsync(TimeSpan? timeout = null) => (await ExpectMessageAsync(timeout).ConfigureAwait(false)).Args;
}
