namespace Skynet;

/// <summary>Pins the id of a snax method or of a packable member, instead of the one derived from its name.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Property | AttributeTargets.Field, Inherited = false)]
public sealed class IdAttribute(int id) : Attribute
{
    /// <summary>The pinned id.</summary>
    public int Id { get; } = id;
}
