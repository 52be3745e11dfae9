using System.Reflection;
using System.Runtime.CompilerServices;

namespace Skynet.Hotfix;

/// <summary>
/// What a loaded patch does to one service type: which slots its static methods replace and which method runs
/// inside the service. The convention mirrors snax's hotfix file: a static method named like an
/// <c>[Accept]</c>/<c>[Response]</c> handler, taking the service first and then the handler's parameters, replaces
/// that handler; a static <c>Hotfix(TService self, ...)</c> runs once inside the service and its result returns to
/// the caller. Other methods are helpers.
/// </summary>
sealed class HotfixPlan
{
    /// <summary>The name of the method that runs inside the service when the patch is applied.</summary>
    public const string HotfixMethodName = "Hotfix";

    HotfixPlan(Dictionary<int, Delegate> replacements, MethodInfo? hotfix)
    {
        Replacements = replacements;
        HotfixMethod = hotfix;
    }

    /// <summary>Slot index → the patch's handler, already bound to the slot's delegate type.</summary>
    public Dictionary<int, Delegate> Replacements { get; }

    /// <summary>The patch's <c>Hotfix(self, ...)</c>, if any.</summary>
    public MethodInfo? HotfixMethod { get; }

    /// <summary>Matches the static methods of <paramref name="patch"/> against <paramref name="table"/>.</summary>
    /// <exception cref="HotfixException">A method named like a slot does not fit it, two methods claim one slot, or the patch does nothing.</exception>
    public static HotfixPlan Create(Assembly patch, Type serviceType, SnaxSlotTable? table)
    {
        var replacements = new Dictionary<int, Delegate>();
        MethodInfo? hotfix = null;
        var problems = new List<string>();
        foreach (var method in StaticMethods(patch))
        {
            if (method.Name == HotfixMethodName)
            {
                if (!TakesService(method, serviceType))
                    problems.Add($"{Describe(method)} must take the {serviceType.Name} first: static object? Hotfix({serviceType.Name} self, ...).");
                else if (hotfix is not null) problems.Add($"Two Hotfix methods: {Describe(hotfix)} and {Describe(method)}.");
                else hotfix = method;
                continue;
            }
            if (table is null || !NamesASlot(table, method.Name)) continue;
            var index = FindSlot(table, method);
            if (index < 0)
            {
                problems.Add($"{Describe(method)} is named like a handler but fits no slot; it must take the {serviceType.Name} first, then the handler's parameters. The slots are: {string.Join(", ", table.Methods)}.");
                continue;
            }
            var bound = Delegate.CreateDelegate(table.Methods[index].SlotType, method, throwOnBindFailure: false);
            if (bound is null) problems.Add($"{Describe(method)} does not fit the slot {table.Methods[index]}: check its return type.");
            else if (!replacements.TryAdd(index, bound)) problems.Add($"Two patch methods replace {table.Methods[index]}.");
        }
        if (problems.Count > 0) throw new HotfixException($"The patch does not fit {serviceType.Name}; nothing was changed:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
        if (replacements.Count == 0 && hotfix is null)
            throw new HotfixException($"The patch replaces no handler of {serviceType.Name} and has no Hotfix method. Name a static method like a handler ({(table is null ? "the service has none" : string.Join(", ", table.Methods))}) and give it the {serviceType.Name} as first parameter.");
        return new HotfixPlan(replacements, hotfix);
    }

    /// <summary>Calls the patch's <c>Hotfix</c> with the service and <paramref name="args"/>.</summary>
    /// <exception cref="HotfixException">The arguments do not fit, or the method threw.</exception>
    public object? RunHotfix(Service service, object?[] args) => Run(HotfixMethod!, service, args);

    /// <summary>Calls a static <paramref name="method"/> taking the service first, unwrapping its exception.</summary>
    public static object? Run(MethodInfo method, Service service, object?[] args)
    {
        var parameters = method.GetParameters();
        if (parameters.Length - 1 != args.Length)
            throw new HotfixException($"{Describe(method)} takes {parameters.Length - 1} argument(s) after the service; {args.Length} were given.");
        var all = new object?[parameters.Length];
        all[0] = service;
        args.CopyTo(all, 1);
        try { return method.Invoke(null, all); }
        catch (TargetInvocationException ex) when (ex.InnerException is { } inner) { throw new HotfixException($"{Describe(method)} threw: {inner.Message}", inner); }
        catch (ArgumentException ex) { throw new HotfixException($"The arguments do not fit {Describe(method)}: {ex.Message}", ex); }
    }

    /// <summary>Every static method the patch declares itself (compiler-generated ones excluded).</summary>
    public static IEnumerable<MethodInfo> StaticMethods(Assembly patch)
    {
        foreach (var type in patch.GetTypes())
        {
            if (type.IsDefined(typeof(CompilerGeneratedAttribute), false) || type.Namespace == "System.Runtime.CompilerServices") continue;
            foreach (var method in type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                if (!method.IsSpecialName && !method.IsDefined(typeof(CompilerGeneratedAttribute), false) && !method.IsGenericMethodDefinition)
                    yield return method;
        }
    }

    /// <summary>True when <paramref name="method"/> takes the service (or a base of it) first.</summary>
    public static bool TakesService(MethodInfo method, Type serviceType) =>
        method.GetParameters() is { Length: > 0 } parameters && parameters[0].ParameterType.IsAssignableFrom(serviceType);

    static bool NamesASlot(SnaxSlotTable table, string name)
    {
        foreach (var slot in table.Methods)
            if (slot.Name == name) return true;
        return false;
    }

    static int FindSlot(SnaxSlotTable table, MethodInfo method)
    {
        var parameters = method.GetParameters();
        for (var i = 0; i < table.Methods.Count; i++)
        {
            var slot = table.Methods[i];
            if (slot.Name != method.Name || slot.ParameterTypes.Count != parameters.Length - 1) continue;
            var slotInvoke = slot.SlotType.GetMethod("Invoke")!.GetParameters();
            if (!parameters[0].ParameterType.IsAssignableFrom(slotInvoke[0].ParameterType)) continue;
            var fits = true;
            for (var p = 1; p < parameters.Length && fits; p++) fits = parameters[p].ParameterType == slotInvoke[p].ParameterType;
            if (fits) return i;
        }
        return -1;
    }

    public static string Describe(MethodInfo method) =>
        $"{method.DeclaringType?.Name}.{method.Name}({string.Join(", ", method.GetParameters().Select(p => p.ParameterType.Name))})";
}
