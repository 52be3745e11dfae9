using System.Collections.Concurrent;
using System.Diagnostics;

namespace Skynet.Ops.Tests.Diagnostics;

/// <summary>Records every activity of the named sources that stops while it is alive.</summary>
public sealed class ActivityRecorder : IDisposable
{
    readonly ActivityListener _listener;

    public ActivityRecorder(params string[] sources)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => sources.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public ConcurrentQueue<Activity> Stopped { get; } = new();

    public void Dispose() => _listener.Dispose();
}
