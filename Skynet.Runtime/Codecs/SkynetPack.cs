using System.Buffers;

namespace Skynet.Codecs;

/// <summary>
/// skynet's <c>skynet.pack</c>/<c>skynet.unpack</c> (lua-seri) format, byte for byte, so that real skynet nodes
/// and this runtime understand each other's cluster payloads.
/// </summary>
/// <remarks>
/// <para>Lua values map to C# as: nil ⇄ <see langword="null"/>; boolean ⇄ <see cref="bool"/>; integer ⇄
/// <see cref="long"/> (any integer type packs); float ⇄ <see cref="double"/> (<see cref="float"/> packs);
/// string ⇄ <see cref="string"/> (UTF-8) or <see cref="byte"/>[] (see <see cref="LuaStringMode"/>; a
/// <see cref="ReadOnlyMemory{T}"/> of bytes packs too); table ⇄ <see cref="LuaTable"/>; light userdata ⇄
/// <see cref="LuaLightUserData"/>.</para>
/// <para>Decoding throws <see cref="PackException"/> for any malformed input. Encoding throws
/// <see cref="PackException"/> for tables nested deeper than <see cref="MaxDepth"/> (skynet's own limit, which
/// also catches cycles) and strings with unpaired surrogates, and <see cref="ArgumentException"/> for values of
/// other types.</para>
/// </remarks>
public static class SkynetPack
{
    /// <summary>skynet's <c>MAX_DEPTH</c>: values nested inside more than this many tables are rejected.</summary>
    public const int MaxDepth = 32;

    /// <summary>Packs values as <c>skynet.pack(...)</c> does.</summary>
    /// <param name="values">The values, in order; each may be <see langword="null"/> (nil).</param>
    /// <returns>The packed bytes.</returns>
    /// <exception cref="PackException">Tables nest deeper than <see cref="MaxDepth"/>, or a string is not valid UTF-16.</exception>
    /// <exception cref="ArgumentException">A value has a type with no Lua counterpart.</exception>
    public static byte[] Pack(params ReadOnlySpan<object?> values)
    {
        var output = new ArrayBufferWriter<byte>();
        Pack(output, values);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Packs values as <c>skynet.pack(...)</c> does, onto <paramref name="output"/>.</summary>
    /// <param name="output">The destination.</param>
    /// <param name="values">The values, in order; each may be <see langword="null"/> (nil).</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="PackException">Tables nest deeper than <see cref="MaxDepth"/>, or a string is not valid UTF-16.</exception>
    /// <exception cref="ArgumentException">A value has a type with no Lua counterpart.</exception>
    public static int Pack(IBufferWriter<byte> output, ReadOnlySpan<object?> values)
    {
        var writer = new PackWriter(output);
        foreach (object? value in values)
        {
            SeriWriter.WriteValue(ref writer, value, 0);
        }
        writer.Flush();
        return writer.WrittenCount;
    }

    /// <summary>Unpacks every value in <paramref name="data"/>, as <c>skynet.unpack(msg, sz)</c> does.</summary>
    /// <param name="data">The packed bytes; empty input yields no values.</param>
    /// <param name="strings">How Lua strings are represented.</param>
    /// <returns>The values, in order.</returns>
    /// <exception cref="PackException">The input is truncated, has an unknown type byte, a length larger than
    /// the bytes left, or tables nested deeper than <see cref="MaxDepth"/>.</exception>
    public static object?[] Unpack(ReadOnlySpan<byte> data, LuaStringMode strings = LuaStringMode.Auto)
    {
        var reader = new PackReader(data);
        var values = new List<object?>();
        while (reader.Remaining > 0)
        {
            values.Add(SeriReader.ReadValue(ref reader, strings, 0));
        }
        return values.ToArray();
    }
}
