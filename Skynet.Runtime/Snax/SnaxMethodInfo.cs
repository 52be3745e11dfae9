namespace Skynet;

/// <summary>One hot-fixable method of a snax service, as the generator described it.</summary>
/// <param name="Name">The C# method name.</param>
/// <param name="Id">The stable method id (a hash of the name, or <c>[Id(n)]</c>).</param>
/// <param name="Kind">Accept (post) or response (req).</param>
/// <param name="SlotType">The delegate type of the slot: the service instance first, then the method's parameters.</param>
public sealed record SnaxMethodInfo(string Name, int Id, SnaxMethodKind Kind, Type SlotType)
{
    /// <summary>The handler's parameter types (the slot's delegate parameters after the service instance).</summary>
    public IReadOnlyList<Type> ParameterTypes
    {
        get
        {
            var parameters = SlotType.GetMethod("Invoke")?.GetParameters() ?? [];
            var types = new Type[Math.Max(0, parameters.Length - 1)];
            for (var i = 0; i < types.Length; i++) types[i] = parameters[i + 1].ParameterType;
            return types;
        }
    }

    /// <summary>The handler's signature and id, as error messages show it: <c>Add(Int32) [id 7]</c>.</summary>
    public override string ToString() => $"{Name}({string.Join(", ", ParameterTypes.Select(t => t.Name))}) [id {Id}]";
}
