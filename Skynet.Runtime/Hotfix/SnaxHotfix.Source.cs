using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Skynet.Hotfix;

namespace Skynet;

public static partial class SnaxHotfix
{
    static readonly ConditionalWeakTable<Service, HotfixLedger> s_instanceLedgers = new();
    static readonly ConditionalWeakTable<SnaxSlotTable, HotfixLedger> s_typeLedgers = new();
    static readonly ConcurrentDictionary<Type, SnaxSlotTable?> s_tables = new();
    static int s_patchIds;

    /// <summary>
    /// Compiles <paramref name="source"/> and applies it to the one service at <paramref name="target"/>, whatever its
    /// type (the console's <c>hotfix</c>). See <see cref="SnaxHotfixExtensions"/> for the patch conventions.
    /// </summary>
    /// <exception cref="HotfixCompilationException">The source does not compile (nothing changed).</exception>
    /// <exception cref="HotfixException">The patch does not fit the service, or its Hotfix method threw (nothing changed).</exception>
    /// <exception cref="CallFailedException">No service lives at <paramref name="target"/>.</exception>
    public static Task<HotfixResult> Apply(SkynetNode node, Address target, string source, string sourceName = "hotfix.cs", params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(node);
        var image = HotfixCompiler.Compile(source, sourceName);
        return ApplyImage(node, target, image, sourceName, args, expectedType: null);
    }

    /// <summary>Applies a prebuilt patch assembly (its bytes) to the one service at <paramref name="target"/>.</summary>
    /// <exception cref="HotfixException">Not a .NET assembly, the patch does not fit, or its Hotfix method threw (nothing changed).</exception>
    /// <exception cref="CallFailedException">No service lives at <paramref name="target"/>.</exception>
    public static Task<HotfixResult> ApplyAssembly(SkynetNode node, Address target, byte[] assemblyImage, string origin = "assembly", params object?[] args)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(assemblyImage);
        return ApplyImage(node, target, assemblyImage, origin, args, expectedType: null);
    }

    /// <summary>The patches applied to the one service at <paramref name="target"/>, oldest first.</summary>
    /// <exception cref="CallFailedException">No service lives at <paramref name="target"/>.</exception>
    public static Task<IReadOnlyList<HotfixPatch>> List(SkynetNode node, Address target) =>
        InsideService<IReadOnlyList<HotfixPatch>>(node, target, service =>
            s_instanceLedgers.TryGetValue(service, out var ledger) ? ledger.Patches() : []);

    /// <summary>Rolls back patch <paramref name="patchId"/> of the service at <paramref name="target"/>; its code unloads once nothing runs it.</summary>
    /// <exception cref="HotfixException">No such patch is applied to that service.</exception>
    /// <exception cref="CallFailedException">No service lives at <paramref name="target"/>.</exception>
    public static Task<HotfixPatch> Rollback(SkynetNode node, Address target, int patchId) =>
        InsideService(node, target, service =>
        {
            if (!s_instanceLedgers.TryGetValue(service, out var ledger))
                throw new HotfixException($"No hotfix is applied to {service.Self}.");
            var entry = ledger.Rollback(patchId, new InstanceSlots(service, SlotsOf(service.GetType())), service.Self.ToString());
            entry.Context.Unload();
            return entry.Patch;
        });

    /// <summary>Compiles <paramref name="source"/> and applies it to every <typeparamref name="T"/>, running or future (instances with their own patch of a slot keep it).</summary>
    /// <exception cref="HotfixCompilationException">The source does not compile (nothing changed).</exception>
    /// <exception cref="HotfixException">The patch does not fit, or has a Hotfix(self) method, which needs one instance (nothing changed).</exception>
    public static HotfixPatch ApplyAll<T>(string source, string sourceName = "hotfix.cs") where T : Service, ISnaxService<T> =>
        ApplyAllImage(typeof(T), T.SnaxSlots, HotfixCompiler.Compile(source, sourceName), sourceName);

    /// <summary>Applies a prebuilt patch assembly to every <typeparamref name="T"/>.</summary>
    /// <exception cref="HotfixException">Not a .NET assembly, the patch does not fit, or it has a Hotfix(self) method (nothing changed).</exception>
    public static HotfixPatch ApplyAllAssembly<T>(byte[] assemblyImage, string origin = "assembly") where T : Service, ISnaxService<T> =>
        ApplyAllImage(typeof(T), T.SnaxSlots, assemblyImage ?? throw new ArgumentNullException(nameof(assemblyImage)), origin);

    /// <summary>The type-wide patches of <typeparamref name="T"/>, oldest first.</summary>
    public static IReadOnlyList<HotfixPatch> ListAll<T>() where T : Service, ISnaxService<T>
    {
        var ledger = s_typeLedgers.GetOrCreateValue(T.SnaxSlots);
        lock (ledger) return ledger.Patches();
    }

    /// <summary>Rolls back the type-wide patch <paramref name="patchId"/> of <typeparamref name="T"/>.</summary>
    /// <exception cref="HotfixException">No such type-wide patch.</exception>
    public static HotfixPatch RollbackAll<T>(int patchId) where T : Service, ISnaxService<T>
    {
        var table = T.SnaxSlots;
        var ledger = s_typeLedgers.GetOrCreateValue(table);
        HotfixLedger.Entry entry;
        lock (ledger) entry = ledger.Rollback(patchId, new TypeSlots(table), "all " + typeof(T).Name);
        entry.Context.Unload();
        return entry.Patch;
    }

    internal static Task<HotfixResult> ApplyImage(SkynetNode node, Address target, byte[] image, string origin, object?[] args, Type? expectedType)
    {
        var (context, assembly) = Load(image, origin);
        var applied = InsideService(node, target, service =>
        {
            var type = service.GetType();
            if (expectedType is not null && !expectedType.IsInstanceOfType(service))
                throw new HotfixException($"{service.Self} is a {type.Name}, not a {expectedType.Name}; nothing was changed.");
            var table = SlotsOf(type);
            var plan = HotfixPlan.Create(assembly, type, table);
            var patch = new HotfixPatch(Interlocked.Increment(ref s_patchIds), service.Self, type, SlotNames(table, plan), origin, DateTimeOffset.UtcNow);
            var entry = new HotfixLedger.Entry(patch, context, plan.Replacements);
            var ledger = s_instanceLedgers.GetOrCreateValue(service);
            var slots = new InstanceSlots(service, table);
            ledger.Apply(entry, slots);
            if (plan.HotfixMethod is null) return new HotfixResult(patch, null);
            try { return new HotfixResult(patch, plan.RunHotfix(service, args)); }
            catch { ledger.Rollback(patch.Id, slots, service.Self.ToString()); throw; }
        });
        applied.ContinueWith(static (t, c) => ((HotfixLoadContext)c!).Unload(), context, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return applied;
    }

    static HotfixPatch ApplyAllImage(Type type, SnaxSlotTable table, byte[] image, string origin)
    {
        var (context, assembly) = Load(image, origin);
        try
        {
            var plan = HotfixPlan.Create(assembly, type, table);
            if (plan.HotfixMethod is not null)
                throw new HotfixException($"A type-wide patch has no one service to run {HotfixPlan.HotfixMethodName}(self) in; apply it to an instance (Snax.Hotfix(proxy, ...)) or remove the method. Nothing was changed.");
            if (plan.Replacements.Count == 0) throw new HotfixException($"The patch replaces no handler of {type.Name}; nothing was changed.");
            var patch = new HotfixPatch(Interlocked.Increment(ref s_patchIds), null, type, SlotNames(table, plan), origin, DateTimeOffset.UtcNow);
            var ledger = s_typeLedgers.GetOrCreateValue(table);
            lock (ledger) ledger.Apply(new HotfixLedger.Entry(patch, context, plan.Replacements), new TypeSlots(table));
            return patch;
        }
        catch
        {
            context.Unload();
            throw;
        }
    }

    static (HotfixLoadContext, System.Reflection.Assembly) Load(byte[] image, string origin)
    {
        try { return HotfixLoadContext.Load(image, origin); }
        catch (BadImageFormatException ex) { throw new HotfixException($"{origin} is not a .NET assembly: {ex.Message}", ex); }
    }

    static string[] SlotNames(SnaxSlotTable? table, HotfixPlan plan)
    {
        var names = new List<string>();
        foreach (var index in plan.Replacements.Keys.Order()) names.Add(table!.Methods[index].ToString());
        if (plan.HotfixMethod is not null) names.Add(HotfixPlan.HotfixMethodName);
        return [.. names];
    }

    /// <summary>The slot table of a snax service type, or null for a raw service.</summary>
    internal static SnaxSlotTable? SlotsOf(Type type) => s_tables.GetOrAdd(type, static t =>
    {
        foreach (var candidate in t.GetInterfaces())
        {
            if (!candidate.IsGenericType || candidate.GetGenericTypeDefinition() != typeof(ISnaxService<>) || candidate.GetGenericArguments()[0] != t) continue;
            return (SnaxSlotTable)typeof(SnaxHotfix).GetMethod(nameof(Slots))!.MakeGenericMethod(t).Invoke(null, null)!;
        }
        return null;
    });

    /// <summary>Runs <paramref name="action"/> inside <paramref name="target"/>'s turn (at once when called from that very service).</summary>
    internal static Task<TResult> InsideService<TResult>(SkynetNode node, Address target, Func<Service, TResult> action)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (Service.Current is { } current && current.Self == target && current.Node == node)
        {
            try { return Task.FromResult(action(current)); }
            catch (Exception ex) { return Task.FromException<TResult>(ex); }
        }
        var done = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var delivered = node.Invoke(target, service =>
        {
            try { done.TrySetResult(action(service)); }
            catch (Exception ex) { done.TrySetException(ex); }
        });
        if (!delivered)
        {
            done.TrySetException(new CallFailedException(target, CallFailure.UnknownAddress, node.DescribeUnreachable(target)));
            return done.Task;
        }
        return UnlessGone(done.Task, node.WhenGone(target));
    }

    // A service that exits before its turn comes never runs the action: fail instead of waiting forever. WhenAny
    // detaches from the loser, so a long-lived service does not collect one continuation per console command.
    static async Task<TResult> UnlessGone<TResult>(Task<TResult> done, Task gone)
    {
        await Task.WhenAny(done, gone).ConfigureAwait(false);
        if (done.IsCompleted) return await done.ConfigureAwait(false);
        throw new HotfixException("The service exited before the action ran inside it; nothing was changed.");
    }

    sealed class InstanceSlots(Service service, SnaxSlotTable? table) : HotfixLedger.ISlots
    {
        public Delegate? Get(int index) => service.SnaxInstanceSlots?[index];

        public void Set(int index, Delegate? handler)
        {
            var slots = service.SnaxInstanceSlots ??= new Delegate?[table!.Methods.Count];
            slots[index] = handler;
        }
    }

    sealed class TypeSlots(SnaxSlotTable table) : HotfixLedger.ISlots
    {
        public Delegate? Get(int index) => table[index];

        public void Set(int index, Delegate? handler) => table.SwapAt(index, handler!);
    }
}
