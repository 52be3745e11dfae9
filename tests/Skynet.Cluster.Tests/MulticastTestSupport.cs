using System.Collections.Concurrent;

namespace Skynet.ClusterTests;

/// <summary>A multicast subscriber service for the cross-node tests: what it received, and a latch at a count.</summary>
public sealed class MulticastProbe
{
    readonly object _gate = new();
    readonly List<(int Count, TaskCompletionSource Reached)> _latches = [];

    public ConcurrentQueue<(Address Source, object? Message)> Received { get; } = new();

    public object?[] Messages => [.. Received.Select(r => r.Message)];

    /// <summary>Completes once <paramref name="count"/> messages arrived (bounded by <see cref="Node.Patience"/>).</summary>
    public Task Reached(int count)
    {
        var latch = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (Received.Count >= count) return Task.CompletedTask;
            _latches.Add((count, latch));
        }
        return latch.Task.WaitAsync(Node.Patience);
    }

    void Add(Address source, object? message)
    {
        lock (_gate)
        {
            Received.Enqueue((source, message));
            foreach (var (count, reached) in _latches)
                if (Received.Count >= count) reached.TrySetResult();
        }
    }

    /// <summary>Starts a service on <paramref name="node"/> subscribed to <paramref name="channel"/>; returns once subscribed.</summary>
    public static async Task<MulticastProbe> Subscribe(SkynetNode node, uint channel)
    {
        var probe = new MulticastProbe();
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await node.NewService(new LuaService(null, self => self.Fork(async () =>
        {
            try
            {
                await new MulticastChannel(channel).Subscribe((_, source, message) =>
                {
                    probe.Add(source, message);
                    return default;
                });
                subscribed.TrySetResult();
            }
            catch (Exception ex)
            {
                subscribed.TrySetException(ex);
            }
        })));
        await Node.Within(subscribed.Task);
        return probe;
    }

    /// <summary>Completes with the harbor of the next <paramref name="subscribe"/> event.</summary>
    public static Task<int> Next(Action<Action<int>> subscribe)
    {
        var next = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        subscribe(harbor => next.TrySetResult(harbor));
        return next.Task.WaitAsync(Node.Patience);
    }
}
