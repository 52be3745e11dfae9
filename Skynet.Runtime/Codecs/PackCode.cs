namespace Skynet.Codecs;

/// <summary>
/// Header values of MemoryPack's published wire format (MemoryPack 1.21.4, README "Binary wire format
/// specification"), shared by <see cref="PackWriter"/> and <see cref="PackReader"/>.
/// </summary>
public static class PackCode
{
    /// <summary>Collection header of a <see langword="null"/> collection or string (int32 -1).</summary>
    public const int NullCollection = -1;

    /// <summary>Object header of a <see langword="null"/> object.</summary>
    public const byte NullObject = 255;

    /// <summary>Largest member count an object header may carry; 250–254 are reserved by MemoryPack.</summary>
    public const byte MaxMemberCount = 249;

    /// <summary>The deepest nesting of <see cref="PackWriter.WritePackable{T}"/>/<see cref="PackReader.ReadPackable{T}(ref T)"/>
    /// calls (a null member counts as a level) a writer or reader accepts before throwing.</summary>
    /// <remarks>Bounds recursion so that hostile or cyclic input fails with <see cref="PackException"/> rather
    /// than overflowing the stack (which would end the whole process).</remarks>
    public const int MaxDepth = 256;

    // VarInt type codes: the first sbyte is either the value itself (-120..127) or one of these.
    internal const sbyte VarIntMinSingle = -120;
    internal const sbyte VarIntByte = -121;
    internal const sbyte VarIntSByte = -122;
    internal const sbyte VarIntUInt16 = -123;
    internal const sbyte VarIntInt16 = -124;
    internal const sbyte VarIntUInt32 = -125;
    internal const sbyte VarIntInt32 = -126;
    internal const sbyte VarIntUInt64 = -127;
    internal const sbyte VarIntInt64 = -128;
}
