namespace SnaxTests;

/// <summary>A started node, stopped at dispose. Every wait goes through <see cref="Within"/>.</summary>
public sealed class TestNode : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public TestNode(int threads = 2)
    {
        Node = new SkynetNode(new SkynetOptions { Threads = threads });
        Node.Start();
    }

    public SkynetNode Node { get; }

    public static Task<T> Within<T>(Task<T> task) => task.WaitAsync(Patience);

    public static Task Within(Task task) => task.WaitAsync(Patience);

    public static Task<T> Within<T>(ValueTask<T> task) => task.AsTask().WaitAsync(Patience);

    public static Task Within(ValueTask task) => task.AsTask().WaitAsync(Patience);

    /// <summary>Runs <paramref name="body"/> inside a fresh raw service and returns its result.</summary>
    public async Task<T> Inside<T>(Func<Service, ValueTask<T>> body)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        await Within(Node.NewService(new Host(self =>
        {
            self.Fork(async () =>
            {
                try { result.TrySetResult(await body(self)); }
                catch (Exception ex) { result.TrySetException(ex); }
            });
        })));
        return await Within(result.Task);
    }

    public async ValueTask DisposeAsync() => await Node.StopAsync(TimeSpan.FromSeconds(2));

    sealed class Host(Action<Service> start) : Service
    {
        protected override ValueTask OnStart(object?[] args)
        {
            start(this);
            return default;
        }
    }
}
