namespace Skynet;

/// <summary>One hot-fixable method of a snax service, as the generator described it.</summary>
/// <param name="Name">The C# method name.</param>
/// <param name="Id">The stable method id (a hash of the name, or <c>[Id(n)]</c>).</param>
/// <param name="Kind">Accept (post) or response (req).</param>
/// <param name="SlotType">The delegate type of the slot: the service instance first, then the method's parameters.</param>
public sealed record SnaxMethodInfo(string Name, int Id, SnaxMethodKind Kind, Type SlotType);
