namespace Skynet.Ops.Tests.Hotfix;

/// <summary>A snax service with private state for the hotfix tests.</summary>
[Service]
public sealed partial class Counter : Service
{
    int _count;
    readonly object _gate = new();
    TaskCompletionSource? _slowStarted;

    [Accept] public void Add(int amount) => _count += amount;

    [Response] public int Get() => _count;

    [Response] public string Describe(string prefix) => $"{prefix}{_count}";

    /// <summary>Waits (a yield point) until <see cref="Release"/>, then answers from the code it started in.</summary>
    [Response] public async ValueTask<string> Slow()
    {
        _slowStarted?.TrySetResult();
        await Wait(_gate);
        return "old slow";
    }

    [Accept] public void Release() => Wakeup(_gate);

    /// <summary>Lets a test learn when <see cref="Slow"/> is suspended (set before calling it).</summary>
    public void ExpectSlow(TaskCompletionSource started) => _slowStarted = started;
}
