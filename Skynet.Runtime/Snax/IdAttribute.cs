namespace Skynet;

/// <summary>Pins the id of a snax method, instead of the one derived from its name (needed to tell overloads apart).</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class IdAttribute(int id) : Attribute
{
    /// <summary>The pinned id.</summary>
    public int Id { get; } = id;
}
