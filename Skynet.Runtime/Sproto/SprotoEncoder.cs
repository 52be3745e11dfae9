using System.Buffers.Binary;
using System.Collections;
using System.Text;

namespace Skynet.Sproto;

/// <summary>
/// Encodes a <see cref="SprotoObject"/> exactly as skynet's <c>sproto_encode</c> with the Lua binding's callbacks:
/// small non-negative integers and booleans inline in the field part, everything else in the data part, integers
/// 4 bytes when they fit in 32 bits and 8 otherwise, integer arrays widened to 8 bytes when any element needs it.
/// </summary>
internal ref struct SprotoEncoder
{
    /// <summary>skynet's <c>ENCODE_MAXSIZE</c>: no encoding grows past 16 MiB.</summary>
    internal const int MaxSize = 0x1000000;

    /// <summary>skynet's <c>ENCODE_DEEPLEVEL</c>.</summary>
    internal const int MaxDepth = 64;

    byte[] _buffer;
    int _pos;

    SprotoEncoder(int capacity)
    {
        _buffer = new byte[capacity];
        _pos = 0;
    }

    internal static byte[] Encode(SprotoType type, IReadOnlyDictionary<string, object?>? value)
    {
        var e = new SprotoEncoder(256);
        e.WriteStruct(type, value, 0);
        return e._buffer.AsSpan(0, e._pos).ToArray();
    }

    void Ensure(int more)
    {
        var need = (long)_pos + more;
        if (need <= _buffer.Length) return;
        if (need > MaxSize) throw new SprotoException($"object is too large (>{MaxSize})");
        var size = Math.Max(need, Math.Min((long)_buffer.Length * 2, MaxSize));
        Array.Resize(ref _buffer, (int)size);
    }

    void WriteStruct(SprotoType type, IReadOnlyDictionary<string, object?>? value, int depth)
    {
        if (depth >= MaxDepth) throw new SprotoException("The table is too deep");
        var headerSize = 2 + type.MaxN * 2;
        Ensure(headerSize);
        var header = _pos;
        _pos += headerSize;
        var dataStart = _pos;
        var index = 0;
        var lastTag = -1;
        foreach (var f in type.FieldArray)
        {
            object? v = null;
            if (value is not null && value.TryGetValue(f.Name, out var found)) v = found;
            if (v is null) continue;
            var inline = 0;
            if (f.IsArray) WriteArray(type, f, v, depth);
            else
            {
                switch (f.Kind)
                {
                    case SprotoFieldKind.Integer:
                        {
                            var n = ToInteger(type, f, v, 0);
                            if (n >> 31 is 0 or -1 && (uint)n < 0x7fff) inline = ((int)n + 1) * 2;
                            else WriteIntegerData(n);
                            break;
                        }
                    case SprotoFieldKind.Boolean:
                        inline = (ToBoolean(type, f, v, 0) ? 1 : 0) + 1 << 1;
                        break;
                    case SprotoFieldKind.Double:
                        Ensure(12);
                        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_pos), 8);
                        BinaryPrimitives.WriteDoubleLittleEndian(_buffer.AsSpan(_pos + 4), ToDouble(type, f, v, 0));
                        _pos += 12;
                        break;
                    case SprotoFieldKind.String:
                        WriteString(type, f, v, 0);
                        break;
                    default:
                        WriteObject(type, f, v, 0, depth);
                        break;
                }
            }
            var record = header + 2 + index * 2;
            var gap = f.Tag - lastTag - 1;
            if (gap > 0)
            {
                var skip = (gap - 1) * 2 + 1;
                if (skip > 0xffff) throw new SprotoException($"{type.Name}.{f.Name}: tag gap too large");
                BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(record), (ushort)skip);
                index++;
                record += 2;
            }
            BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(record), (ushort)inline);
            index++;
            lastTag = f.Tag;
        }
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(header), (ushort)index);
        if (index != type.MaxN)
        {
            var dataSize = _pos - dataStart;
            var to = header + 2 + index * 2;
            _buffer.AsSpan(dataStart, dataSize).CopyTo(_buffer.AsSpan(to));
            _pos = to + dataSize;
        }
    }

    void WriteIntegerData(long n)
    {
        Ensure(12);
        if (n >> 31 is 0 or -1)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_pos), 4);
            BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_pos + 4), (int)n);
            _pos += 8;
        }
        else
        {
            BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_pos), 8);
            BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_pos + 4), n);
            _pos += 12;
        }
    }

    void WriteString(SprotoType type, SprotoField f, object v, int index)
    {
        switch (v)
        {
            case string s:
                {
                    int count;
                    try { count = Strict.GetByteCount(s); }
                    catch (EncoderFallbackException e) { throw new SprotoException($"{type.Name}.{f.Name}[{index}] holds an unpaired surrogate and cannot be written as UTF-8", e); }
                    Ensure(4 + count);
                    BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_pos), count);
                    Strict.GetBytes(s, _buffer.AsSpan(_pos + 4));
                    _pos += 4 + count;
                    break;
                }
            case byte[] bytes:
                WriteBytes(bytes);
                break;
            case ReadOnlyMemory<byte> rom:
                WriteBytes(rom.Span);
                break;
            case Memory<byte> mem:
                WriteBytes(mem.Span);
                break;
            default:
                throw NotA(type, f, index, "string", v);
        }
    }

    void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        Ensure(4 + bytes.Length);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_pos), bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_pos + 4));
        _pos += 4 + bytes.Length;
    }

    void WriteObject(SprotoType type, SprotoField f, object v, int index, int depth)
    {
        if (v is not IReadOnlyDictionary<string, object?> obj) throw NotA(type, f, index, $"struct {f.Struct!.Name} (a SprotoObject)", v);
        Ensure(4);
        var lengthAt = _pos;
        _pos += 4;
        WriteStruct(f.Struct!, obj, depth + 1);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(lengthAt), _pos - lengthAt - 4);
    }

    void WriteArray(SprotoType type, SprotoField f, object v, int depth)
    {
        if (v is string or byte[] || v is not IEnumerable items) throw NotA(type, f, 0, "an array (IEnumerable)", v);
        Ensure(4);
        var lengthAt = _pos;
        _pos += 4;
        if (f.KeyTag >= 0) WriteMap(type, f, v, depth);
        else
        {
            switch (f.Kind)
            {
                case SprotoFieldKind.Integer:
                case SprotoFieldKind.Double:
                    WriteNumberArray(type, f, items);
                    break;
                case SprotoFieldKind.Boolean:
                    {
                        var i = 1;
                        foreach (var item in items)
                        {
                            Ensure(1);
                            _buffer[_pos++] = ToBoolean(type, f, Element(type, f, item, i), i) ? (byte)1 : (byte)0;
                            i++;
                        }
                        break;
                    }
                default:
                    {
                        var i = 1;
                        foreach (var item in items)
                        {
                            var element = Element(type, f, item, i);
                            if (f.Kind == SprotoFieldKind.String) WriteString(type, f, element, i);
                            else WriteObject(type, f, element, i, depth);
                            i++;
                        }
                        break;
                    }
            }
        }
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(lengthAt), _pos - lengthAt - 4);
    }

    void WriteMap(SprotoType type, SprotoField f, object v, int depth)
    {
        var i = 1;
        if (f.IsMap)
        {
            // *T(): each entry becomes a two-field struct { key, value }.
            if (v is not IDictionary map) throw NotA(type, f, 0, "a map (IDictionary)", v);
            var st = f.Struct!;
            var entry = new SprotoObject();
            foreach (DictionaryEntry e in map)
            {
                entry.Clear();
                entry[st.FieldArray[0].Name] = e.Key;
                entry[st.FieldArray[1].Name] = e.Value;
                WriteObject(type, f, entry, i++, depth);
            }
            return;
        }
        // *T(key): the values are the structs; their key field is already inside them.
        IEnumerable values = v is IDictionary d ? d.Values : (IEnumerable)v;
        foreach (var item in values) WriteObject(type, f, Element(type, f, item, i), i++, depth);
    }

    void WriteNumberArray(SprotoType type, SprotoField f, IEnumerable items)
    {
        // skynet widens the whole array to 8 bytes as soon as one element needs it; doubles are always 8.
        var values = new List<long>();
        var wide = f.Kind == SprotoFieldKind.Double;
        var i = 1;
        foreach (var item in items)
        {
            var element = Element(type, f, item, i);
            long n;
            if (f.Kind == SprotoFieldKind.Double) n = BitConverter.DoubleToInt64Bits(ToDouble(type, f, element, i));
            else
            {
                n = ToInteger(type, f, element, i);
                if (n >> 31 is not (0 or -1)) wide = true;
            }
            values.Add(n);
            i++;
        }
        if (values.Count == 0) return;
        var size = wide ? 8 : 4;
        Ensure(1 + values.Count * size);
        _buffer[_pos++] = (byte)size;
        foreach (var n in values)
        {
            if (wide) BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_pos), n);
            else BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_pos), (int)n);
            _pos += size;
        }
    }

    static readonly UTF8Encoding Strict = new(false, true);

    static object Element(SprotoType type, SprotoField f, object? item, int index) =>
        item ?? throw new SprotoException($"{type.Name}.{f.Name}[{index}] is null: a sproto array cannot hold nil");

    static long ToInteger(SprotoType type, SprotoField f, object v, int index)
    {
        if (f.Decimal is not null)
        {
            // lsproto: round(value * 10^n), C's round (half away from zero).
            double d = v switch
            {
                double x => x,
                float x => x,
                decimal x => (double)x,
                _ => (double)ToLong(type, f, v, index),
            };
            return (long)Math.Round(d * f.Scale, MidpointRounding.AwayFromZero);
        }
        return ToLong(type, f, v, index);
    }

    static long ToLong(SprotoType type, SprotoField f, object v, int index) => v switch
    {
        long x => x,
        int x => x,
        short x => x,
        sbyte x => x,
        byte x => x,
        ushort x => x,
        uint x => x,
        ulong x => unchecked((long)x),
        double x when x == Math.Floor(x) && x >= long.MinValue && x < 9.2233720368547758e18 => (long)x, // Lua's float-to-integer rule
        float x when x == MathF.Floor(x) && x >= long.MinValue && x < 9.2233720368547758e18f => (long)x,
        Enum e => Convert.ToInt64(e, System.Globalization.CultureInfo.InvariantCulture),
        _ => throw NotA(type, f, index, "an integer", v),
    };

    static double ToDouble(SprotoType type, SprotoField f, object v, int index) => v switch
    {
        double x => x,
        float x => x,
        decimal x => (double)x,
        long x => x,
        int x => x,
        _ => throw NotA(type, f, index, "a number", v),
    };

    static bool ToBoolean(SprotoType type, SprotoField f, object v, int index) =>
        v is bool b ? b : throw NotA(type, f, index, "a boolean", v);

    static SprotoException NotA(SprotoType type, SprotoField f, int index, string what, object v) =>
        new($"{type.Name}.{f.Name}[{index}] is not {what} (Is a {v.GetType().Name})");
}
