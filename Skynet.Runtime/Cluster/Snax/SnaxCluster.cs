using System.Reflection;
using System.Runtime.ExceptionServices;

namespace Skynet;

/// <summary>
/// Snax across nodes, on the serving side: <see cref="EnableCluster{T}"/> is skynet's <c>snax.enablecluster()</c>.
/// </summary>
public static class SnaxCluster
{
    /// <summary>
    /// Lets other nodes call this snax service through the cluster (skynet's <c>snax.enablecluster()</c>; call it
    /// from <c>OnInit</c>). It then accepts "lua" messages of two forms: skynet's Lua snax form
    /// <c>(id, args...)</c>, where ids are the <c>[Id(n)]</c> numbers (give the methods the numbers
    /// <c>snax.interface</c> gives the Lua service: 1–4 are init/exit/hotfix/profile, then accept and response
    /// functions in the order the Lua file defines them, from 5), and the MemoryPack form that
    /// <see cref="Cluster.Snax{T}(string, string, SnaxWireFormat)"/> sends. This replaces the service's "lua" dispatch.
    /// </summary>
    /// <remarks>Lua-form calls go through the hot-fixable slots (with reflection: a Lua peer's arguments need converting anyway).</remarks>
    public static void EnableCluster<T>(T service) where T : Service, ISnaxService<T>
    {
        ArgumentNullException.ThrowIfNull(service);
        service.Dispatch(PType.Lua, message => Handle(service, message));
    }

    static ValueTask Handle<T>(T service, Message message) where T : Service, ISnaxService<T>
    {
        var args = message.Payload as object?[] ?? [message.Payload];
        if (SnaxWire.IsMemoryPackRequest(args, out var blob)) return ServeMemoryPack(service, message.Session, blob);
        if (args is not [long id, ..])
            throw new InvalidOperationException($"{typeof(T).Name} got a cluster snax message that does not start with a method id: {string.Join(", ", args)}");
        var table = T.SnaxSlots;
        var index = table.IndexOf((int)id);
        var method = table.Methods[index];
        var slot = service.SnaxInstanceSlots?[index] ?? table[index];
        object? result = null;
        try
        {
            result = slot.DynamicInvoke(LuaConvert.SlotArguments(service, method.ParameterTypes, args, 1));
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(ex.InnerException);
        }
        return Finish(service, method, result);
    }

    static async ValueTask Finish(Service service, SnaxMethodInfo method, object? result)
    {
        var resultType = SnaxWire.ResultType(method);
        object? value = result;
        switch (result)
        {
            case Task task:
                await task;
                value = resultType is null ? null : task.GetType().GetProperty(nameof(Task<int>.Result))!.GetValue(task);
                break;
            case ValueTask valueTask:
                await valueTask;
                value = null;
                break;
            case not null when result.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == typeof(ValueTask<>):
                var asTask = (Task)type.GetMethod(nameof(ValueTask<int>.AsTask))!.Invoke(result, null)!;
                await asTask;
                value = asTask.GetType().GetProperty(nameof(Task<int>.Result))!.GetValue(asTask);
                break;
        }
        if (method.Kind == SnaxMethodKind.Response) service.Ret(LuaConvert.ToLua(value));
    }

    static async ValueTask ServeMemoryPack<T>(T service, int session, byte[] blob) where T : Service, ISnaxService<T>
    {
        var request = SnaxWire.UnpackRequest<T>(blob);
        if (session == 0)
        {
            service.Send(service.Self, PType.Snax, request);
            return;
        }
        // A call to itself: the service handles the snax message while this coroutine waits, as skynet would.
        var result = await service.Call(service.Self, PType.Snax, request);
        service.Ret(SnaxWire.PackResult<T>(request.MethodId, result));
    }
}
