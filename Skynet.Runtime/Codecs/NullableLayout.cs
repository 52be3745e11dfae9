using System.Runtime.CompilerServices;

namespace Skynet.Codecs;

/// <summary>Where the value of a <see cref="Nullable{T}"/> sits in memory, measured once per type: MemoryPack
/// writes nullable unmanaged values as their raw layout, so padding must be reproduced exactly.</summary>
internal static class NullableLayout<T>
    where T : unmanaged
{
    internal static readonly int ValueOffset = Measure();

    static int Measure()
    {
        T? probe = default(T);
        ref byte start = ref Unsafe.As<T?, byte>(ref probe);
        ref byte value = ref Unsafe.As<T, byte>(ref Unsafe.AsRef(in Nullable.GetValueRefOrDefaultRef(in probe)));
        return (int)Unsafe.ByteOffset(ref start, ref value);
    }
}
