using System.Buffers.Binary;
using System.Text;

namespace Skynet.Sproto;

/// <summary>
/// Decodes sproto bytes as skynet's <c>sproto_decode</c> with the Lua binding's callbacks: unknown tags are skipped,
/// every length is checked against the bytes that remain before anything is allocated (so an array can never hold
/// more elements than its bytes allow), nesting stops at 64 levels, and a nested struct must fill its length exactly.
/// </summary>
internal static class SprotoDecoder
{
    static readonly UTF8Encoding Strict = new(false, true);

    /// <summary>Decodes one struct; returns it and the bytes it used (the rest may be padding or content).</summary>
    internal static (SprotoObject Value, int Used) Decode(SprotoType type, ReadOnlySpan<byte> data)
    {
        var result = new SprotoObject();
        var used = DecodeStruct(type, data, result, 0);
        return (result, used);
    }

    static int DecodeStruct(SprotoType type, ReadOnlySpan<byte> data, SprotoObject result, int depth)
    {
        if (depth >= SprotoEncoder.MaxDepth) throw new SprotoException("The table is too deep");
        var total = data.Length;
        if (data.Length < 2) throw Bad(type, "truncated header");
        int fn = BinaryPrimitives.ReadUInt16LittleEndian(data);
        var fields = data.Slice(2);
        if (fields.Length < fn * 2) throw Bad(type, $"{fn} field records but only {fields.Length} bytes");
        var stream = fields.Slice(fn * 2);
        var tag = -1;
        for (var i = 0; i < fn; i++)
        {
            int value = BinaryPrimitives.ReadUInt16LittleEndian(fields.Slice(i * 2));
            tag++;
            if ((value & 1) != 0)
            {
                tag += value / 2;
                continue;
            }
            value = value / 2 - 1;
            ReadOnlySpan<byte> current = default;
            if (value < 0)
            {
                if (stream.Length < 4) throw Bad(type, "truncated data length");
                var sz = BinaryPrimitives.ReadUInt32LittleEndian(stream);
                if (sz > (uint)(stream.Length - 4)) throw Bad(type, $"data length {sz} but only {stream.Length - 4} bytes remain");
                current = stream.Slice(4, (int)sz);
                stream = stream.Slice(4 + (int)sz);
            }
            var f = type.FindTag(tag);
            if (f is null) continue;
            if (value >= 0)
            {
                if (f.IsArray || f.Kind is not (SprotoFieldKind.Integer or SprotoFieldKind.Boolean))
                    throw Bad(type, $"field {f.Name} ({f}) cannot be inline");
                result[f.Name] = f.Kind == SprotoFieldKind.Boolean ? value != 0 : Integer(f, value);
                continue;
            }
            result[f.Name] = f.IsArray ? DecodeArray(type, f, current, depth) : DecodeOne(type, f, current, depth);
        }
        return total - stream.Length;
    }

    static object DecodeOne(SprotoType type, SprotoField f, ReadOnlySpan<byte> data, int depth)
    {
        switch (f.Kind)
        {
            case SprotoFieldKind.Integer:
            case SprotoFieldKind.Double:
                {
                    long bits = data.Length switch
                    {
                        4 => BinaryPrimitives.ReadInt32LittleEndian(data),
                        8 => BinaryPrimitives.ReadInt64LittleEndian(data),
                        _ => throw Bad(type, $"field {f.Name}: a number of {data.Length} bytes"),
                    };
                    return f.Kind == SprotoFieldKind.Double ? BitConverter.Int64BitsToDouble(bits) : Integer(f, bits);
                }
            case SprotoFieldKind.String:
                return Text(type, f, data);
            case SprotoFieldKind.Struct:
                return Nested(f.Struct!, data, depth);
            default:
                throw Bad(type, $"field {f.Name} has no data form");
        }
    }

    static SprotoObject Nested(SprotoType st, ReadOnlySpan<byte> data, int depth)
    {
        var obj = new SprotoObject();
        var used = DecodeStruct(st, data, obj, depth + 1);
        if (used != data.Length) throw Bad(st, $"{data.Length - used} trailing byte(s) after the struct");
        return obj;
    }

    static object Text(SprotoType type, SprotoField f, ReadOnlySpan<byte> data)
    {
        if (f.IsBinary) return data.ToArray();
        try
        {
            return Strict.GetString(data);
        }
        catch (DecoderFallbackException e)
        {
            throw new SprotoException($"{type.Name}.{f.Name} is not valid UTF-8 (declare it 'binary' to carry raw bytes)", e);
        }
    }

    static object Integer(SprotoField f, long v) => f.Decimal is null ? (object)v : (double)v / f.Scale;

    static object DecodeArray(SprotoType type, SprotoField f, ReadOnlySpan<byte> data, int depth)
    {
        if (f.KeyTag >= 0) return DecodeMap(type, f, data, depth);
        var list = new List<object?>();
        if (data.Length == 0) return list;
        switch (f.Kind)
        {
            case SprotoFieldKind.Integer:
            case SprotoFieldKind.Double:
                {
                    var body = data.Slice(1);
                    if (body.Length == 0) return list; // an empty array with its width byte
                    var width = data[0];
                    if (width is not (4 or 8) || body.Length % width != 0)
                        throw Bad(type, $"field {f.Name}: integer array of width {width} and {body.Length} bytes");
                    list.Capacity = body.Length / width;
                    for (var i = 0; i < body.Length; i += width)
                    {
                        long bits = width == 4 ? BinaryPrimitives.ReadInt32LittleEndian(body.Slice(i)) : BinaryPrimitives.ReadInt64LittleEndian(body.Slice(i));
                        list.Add(f.Kind == SprotoFieldKind.Double ? BitConverter.Int64BitsToDouble(bits) : Integer(f, bits));
                    }
                    return list;
                }
            case SprotoFieldKind.Boolean:
                list.Capacity = data.Length;
                foreach (var b in data) list.Add(b != 0);
                return list;
            default:
                while (data.Length > 0)
                {
                    var element = Element(type, f, ref data);
                    list.Add(f.Kind == SprotoFieldKind.String ? Text(type, f, element) : Nested(f.Struct!, element, depth));
                }
                return list;
        }
    }

    static ReadOnlySpan<byte> Element(SprotoType type, SprotoField f, ref ReadOnlySpan<byte> data)
    {
        if (data.Length < 4) throw Bad(type, $"field {f.Name}: truncated element length");
        var sz = BinaryPrimitives.ReadUInt32LittleEndian(data);
        if (sz > (uint)(data.Length - 4)) throw Bad(type, $"field {f.Name}: element length {sz} but only {data.Length - 4} bytes remain");
        var element = data.Slice(4, (int)sz);
        data = data.Slice(4 + (int)sz);
        return element;
    }

    static Dictionary<object, object?> DecodeMap(SprotoType type, SprotoField f, ReadOnlySpan<byte> data, int depth)
    {
        var map = new Dictionary<object, object?>();
        var st = f.Struct!;
        var keyName = st.FindTag(f.KeyTag)!.Name;
        while (data.Length > 0)
        {
            var entry = Nested(st, Element(type, f, ref data), depth);
            if (!entry.TryGetValue(keyName, out var key) || key is null)
                throw Bad(type, f.IsMap ? $"Can't find key field in [{f.Name}]" : $"Can't find main index (tag={f.KeyTag}) in [{f.Name}]");
            if (key is byte[] bytes) key = Convert.ToHexString(bytes); // byte arrays compare by reference; key binary maps by hex
            if (f.IsMap)
            {
                var valueName = st.FieldArray[1].Name;
                if (!entry.TryGetValue(valueName, out var value) || value is null) throw Bad(type, $"Can't find value field in [{f.Name}]");
                map[key] = value;
            }
            else map[key] = entry;
        }
        return map;
    }

    static SprotoException Bad(SprotoType type, string what) => new($"decode error in {type.Name}: {what}");
}
