namespace Skynet.Ops.Tests;

/// <summary>A started node, stopped at dispose. Every wait goes through <see cref="Within{T}(Task{T})"/>.</summary>
public sealed class TestNode : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public TestNode(bool profile = false, string nodeName = "skynet")
    {
        Node = new SkynetNode(new SkynetOptions { Threads = 2, Profile = profile, NodeName = nodeName });
        Node.Start();
    }

    public SkynetNode Node { get; }

    public static Task<T> Within<T>(Task<T> task) => task.WaitAsync(Patience);

    public static Task Within(Task task) => task.WaitAsync(Patience);

    public static Task<T> Within<T>(ValueTask<T> task) => task.AsTask().WaitAsync(Patience);

    public async ValueTask DisposeAsync() => await Node.StopAsync(TimeSpan.FromSeconds(2));
}
