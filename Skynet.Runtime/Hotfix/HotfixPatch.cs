namespace Skynet.Hotfix;

/// <summary>One applied hotfix, as <c>Snax.Hotfixes</c> and the console's <c>hotfixes</c> list it.</summary>
/// <param name="Id">The patch id (node-wide, increasing); roll back by it.</param>
/// <param name="Target">The one service it patched, or null for a type-wide patch.</param>
/// <param name="ServiceType">The patched service type.</param>
/// <param name="Slots">The slots it replaced, as <c>Name(ParameterTypes) [id n]</c>.</param>
/// <param name="Origin">Where the code came from: the source name or the assembly path.</param>
/// <param name="AppliedAt">When it was applied (UTC).</param>
public sealed record HotfixPatch(int Id, Address? Target, Type ServiceType, IReadOnlyList<string> Slots, string Origin, DateTimeOffset AppliedAt)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"#{Id} {(Target is { } target ? target.ToString() : "all")} {ServiceType.Name} [{string.Join(", ", Slots)}] from {Origin} at {AppliedAt:O}";
}

/// <summary>What <c>Snax.Hotfix</c> returns: the patch and what its <c>Hotfix(...)</c> method returned.</summary>
/// <param name="Patch">The applied patch.</param>
/// <param name="Result">The return value of the patch's <c>Hotfix(self, ...)</c> method, or null when it has none.</param>
public sealed record HotfixResult(HotfixPatch Patch, object? Result);
