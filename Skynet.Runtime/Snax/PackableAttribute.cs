namespace Skynet;

/// <summary>How a <see cref="PackableAttribute"/> type is laid out on the wire (MemoryPack's layouts).</summary>
public enum PackLayout
{
    /// <summary>Member count, then each member with its byte length, so old and new versions read each other. The default for network messages.</summary>
    VersionTolerant,
    /// <summary>Member count, then the members back to back: smaller, but both sides must agree on the members.</summary>
    Sequential,
}

/// <summary>
/// A message or argument type the generator writes a codec (MemoryPack's binary layout) and a deep copier for.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class PackableAttribute : Attribute
{
    /// <summary>The wire layout; <see cref="PackLayout.VersionTolerant"/> unless set.</summary>
    public PackLayout Layout { get; set; } = PackLayout.VersionTolerant;
}
