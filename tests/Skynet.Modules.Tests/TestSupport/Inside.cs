namespace Skynet.Modules.Tests.TestSupport;

/// <summary>Runs a test body inside a fresh service (so it can use the service API) and returns its result.</summary>
internal static class Inside
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static async Task<T> Run<T>(SkynetNode node, Func<Service, Task<T>> body)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        await node.NewService(new Body(async self =>
        {
            try { result.TrySetResult(await body(self)); }
            catch (Exception e) { result.TrySetException(e); }
        }));
        return await result.Task.WaitAsync(Patience);
    }

    public static Task Run(SkynetNode node, Func<Service, Task> body) => Run(node, async self =>
    {
        await body(self);
        return true;
    });

    sealed class Body(Func<Service, Task> body) : Service
    {
        protected override ValueTask OnStart(object?[] args)
        {
            Fork(async () => await body(this));
            return default;
        }
    }
}
