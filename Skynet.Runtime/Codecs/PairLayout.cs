using System.Runtime.CompilerServices;

namespace Skynet.Codecs;

/// <summary>The raw memory layout of an unmanaged <c>KeyValuePair&lt;TKey, TValue&gt;</c> (key, padding to the
/// value's alignment, value, tail padding), which MemoryPack writes for dictionaries of unmanaged pairs.
/// Only used when the pair holds no references.</summary>
internal static class PairLayout<TKey, TValue>
{
    static readonly int Size = Unsafe.SizeOf<KeyValuePair<TKey, TValue>>();
    static readonly int ValueOffset = AlignUp(Unsafe.SizeOf<TKey>(), AlignOf<TValue>());

    internal static void Write(ref PackWriter writer, TKey key, TValue value)
    {
        Span<byte> span = writer.GetSpan(Size).Slice(0, Size);
        span.Clear();
        Unsafe.WriteUnaligned(ref span[0], key);
        Unsafe.WriteUnaligned(ref span[ValueOffset], value);
        writer.Advance(Size);
    }

    internal static void Read(ref PackReader reader, out TKey key, out TValue value)
    {
        ReadOnlySpan<byte> span = reader.ReadRaw(Size);
        key = Unsafe.ReadUnaligned<TKey>(in span[0]);
        value = Unsafe.ReadUnaligned<TValue>(in span[ValueOffset]);
    }

    static int AlignUp(int offset, int alignment) => (offset + alignment - 1) / alignment * alignment;

    // A byte followed by T lands T at its alignment: the offset of the second field.
    static int AlignOf<T>() => Unsafe.SizeOf<AlignProbe<T>>() - Unsafe.SizeOf<T>();

    struct AlignProbe<T>
    {
#pragma warning disable CS0649 // Never assigned: the struct exists only to be measured.
        public byte Head;
        public T Value;
#pragma warning restore CS0649
    }
}
