using System.ComponentModel;
using System.Runtime.CompilerServices;
using Skynet.Codecs;

namespace Skynet;

/// <summary>Replies for generated <c>[Response]</c> dispatch code: awaits the handler, copies the result, then <c>Ret</c>s it.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SnaxReplies
{
    /// <summary>Replies with the result of a <see cref="ValueTask{TResult}"/> handler.</summary>
    public static ValueTask Reply<TResult, TCopier>(Service service, ValueTask<TResult> pending)
        where TCopier : IDeepCopier<TResult>
    {
        if (pending.IsCompletedSuccessfully)
        {
            service.Ret(TCopier.Copy(pending.Result));
            return default;
        }
        return AwaitReply<TResult, TCopier>(service, pending);
    }

    /// <summary>Replies with the result of a <see cref="Task{TResult}"/> handler.</summary>
    public static ValueTask Reply<TResult, TCopier>(Service service, Task<TResult> pending)
        where TCopier : IDeepCopier<TResult> =>
        Reply<TResult, TCopier>(service, new ValueTask<TResult>(pending));

    /// <summary>Replies (with no value) when a <see cref="ValueTask"/> handler completes.</summary>
    public static ValueTask Reply(Service service, ValueTask pending)
    {
        if (pending.IsCompletedSuccessfully)
        {
            pending.GetAwaiter().GetResult();
            service.Ret(null);
            return default;
        }
        return AwaitReply(service, pending);
    }

    /// <summary>Replies (with no value) when a <see cref="Task"/> handler completes.</summary>
    public static ValueTask Reply(Service service, Task pending) => Reply(service, new ValueTask(pending));

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    static async ValueTask AwaitReply<TResult, TCopier>(Service service, ValueTask<TResult> pending)
        where TCopier : IDeepCopier<TResult> =>
        service.Ret(TCopier.Copy(await pending));

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    static async ValueTask AwaitReply(Service service, ValueTask pending)
    {
        await pending;
        service.Ret(null);
    }

    /// <summary>The error for a <see cref="PType.Snax"/> payload the service cannot handle.</summary>
    public static InvalidOperationException UnknownMessage(Service service, object? payload) =>
        new($"{service.GetType().Name} {service.Self} got a snax message it has no method for: {payload?.ToString() ?? "null"}; send snax messages through a SnaxProxy of the same service type.");
}
