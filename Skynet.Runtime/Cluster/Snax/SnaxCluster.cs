using Skynet.Hotfix;

namespace Skynet;

/// <summary>
/// Snax across nodes, on the serving side: <see cref="EnableCluster{T}"/> is skynet's <c>snax.enablecluster()</c>.
/// </summary>
public static class SnaxCluster
{
    /// <summary>
    /// Lets other nodes call this snax service through the cluster (skynet's <c>snax.enablecluster()</c>; call it
    /// from <c>OnInit</c>). It then accepts "lua" messages of two forms: the MemoryPack form that
    /// <see cref="Cluster.Snax{T}(string, string, SnaxWireFormat)"/> sends, and skynet's Lua snax form
    /// <c>(id, args...)</c> with <c>snax.interface</c>'s ids: 1 init (refused: the service is running), 2 exit
    /// (<c>snax.kill</c>), 3 hotfix (<c>snax.hotfix</c>, with a C# patch), 4 profile (<c>snax.profile_info</c>), then
    /// the <c>[Accept]</c>/<c>[Response]</c> methods numbered as <see cref="ISnaxLuaService{TSelf}"/> describes.
    /// This replaces the service's "lua" dispatch.
    /// </summary>
    /// <remarks>
    /// As in skynet, the whole snax interface is open to the cluster, hot fixes included: a cluster port is for trusted
    /// peers only. Lua-form calls go through the hot-fixable slots, converted by generated code (no reflection).
    /// </remarks>
    public static void EnableCluster<T>(T service) where T : Service, ISnaxService<T>, ISnaxLuaService<T>
    {
        ArgumentNullException.ThrowIfNull(service);
        var profile = new SnaxLuaProfile();
        service.Dispatch(PType.Lua, message => Handle(service, profile, message));
    }

    static ValueTask Handle<T>(T service, SnaxLuaProfile profile, Message message) where T : Service, ISnaxService<T>, ISnaxLuaService<T>
    {
        var args = message.Payload as object?[] ?? [message.Payload];
        if (SnaxWire.IsMemoryPackRequest(args, out var blob)) return ServeMemoryPack(service, message.Session, blob);
        if (args is not [long id, ..])
            throw new ArgumentException($"{typeof(T).Name} got a cluster snax message that does not start with a method id: {string.Join(", ", args)}");
        switch (id)
        {
            case SnaxLuaIds.Init:
                throw new InvalidOperationException($"{typeof(T).Name} is already initialised (snax \"Already init\"): a C# snax service runs OnInit once, when it starts.");
            case SnaxLuaIds.Exit:
                T.ExitFromLua(service, args);
                service.Ret(Array.Empty<object?>()); // snaxd: skynet.ret() before skynet.exit()
                return default;
            case SnaxLuaIds.Hotfix:
                return ServeHotfix(service, args);
            case SnaxLuaIds.Profile:
                service.Ret(profile.ToLua());
                return default;
        }
        var slot = id is > int.MaxValue or < int.MinValue ? -1 : T.LuaSlot((int)id);
        if (slot < 0) throw LuaArgs.UnknownLuaId(typeof(T).Name, (int)Math.Clamp(id, int.MinValue, int.MaxValue));
        var method = T.SnaxSlots.Methods[slot].Name;
        var start = SnaxLuaProfile.Start();
        ValueTask run;
        try
        {
            run = T.ServeLua(service, (int)id, args);
        }
        catch
        {
            profile.Add(method, start);
            throw;
        }
        return profile.Finish(method, start, run);
    }

    // snaxd: skynet.ret(skynet.pack(pcall(inject, ...))), so (true, results...) or (false, message).
    static async ValueTask ServeHotfix<T>(T service, object?[] args) where T : Service, ISnaxService<T>, ISnaxLuaService<T>
    {
        var source = args.Length > 1 ? args[1] switch { string s => s, byte[] b => System.Text.Encoding.UTF8.GetString(b), _ => null } : null;
        if (source is null)
        {
            service.Ret(new object?[] { false, $"snax.hotfix of {typeof(T).Name} needs the patch source (a string) as its first argument" });
            return;
        }
        try
        {
            var result = await SnaxHotfix.Apply(service.Node, service.Self, source, typeof(T).Name + ".cluster-hotfix.cs", args.Length > 2 ? args[2..] : []);
            service.Ret(new object?[] { true, LuaArgs.FromObject(result.Result) });
        }
        catch (HotfixCompilationException ex)
        {
            service.Ret(new object?[]
            {
                false,
                $"{typeof(T).Name} is a C# snax service: Lua source cannot be applied to it. snax.hotfix here takes a C# patch " +
                $"(static methods named like the handlers, taking the service first; see Snax.Hotfix; nothing was changed). As C# it has {ex.Errors.Count} error(s), the first: {(ex.Errors.Count > 0 ? ex.Errors[0] : "")}",
            });
        }
        catch (HotfixException ex)
        {
            service.Ret(new object?[] { false, ex.Message });
        }
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
