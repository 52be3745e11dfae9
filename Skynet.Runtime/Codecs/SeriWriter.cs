namespace Skynet.Codecs;

/// <summary>The encoding half of <see cref="SkynetPack"/>: lua-seri's <c>pack_one</c> and friends, choosing
/// integer widths and string forms exactly as skynet does. Output goes through <see cref="PackWriter"/>, which
/// already handles buffering and little-endian values.</summary>
internal static class SeriWriter
{
    internal static void WriteValue(ref PackWriter writer, object? value, int depth)
    {
        if (depth > SkynetPack.MaxDepth)
        {
            PackException.Throw($"skynet.pack: tables nested deeper than {SkynetPack.MaxDepth} (skynet: \"serialize can't pack too depth table\"); is there a cycle?");
        }
        switch (value)
        {
            case null:
                writer.WriteUnmanaged((byte)SeriType.Nil);
                break;
            case bool b:
                writer.WriteUnmanaged(SeriType.Combine(SeriType.Boolean, b ? 1 : 0));
                break;
            case double d:
                WriteReal(ref writer, d);
                break;
            case float f:
                WriteReal(ref writer, f);
                break;
            case string s:
                WriteString(ref writer, s);
                break;
            case byte[] bytes:
                WriteString(ref writer, bytes);
                break;
            case ReadOnlyMemory<byte> memory:
                WriteString(ref writer, memory.Span);
                break;
            case LuaTable table:
                WriteTable(ref writer, table, depth + 1);
                break;
            case LuaLightUserData pointer:
                writer.WriteUnmanaged((byte)SeriType.UserData);
                writer.WriteUnmanaged(pointer.Pointer);
                break;
            default:
                if (!TryGetInteger(value, out long integer))
                {
                    if (value is ulong)
                    {
                        throw new ArgumentOutOfRangeException(nameof(value), value, "Lua integers are 64-bit signed; this ulong does not fit.");
                    }
                    throw new ArgumentException(
                        $"skynet.pack cannot encode {value.GetType().Name}; use null, bool, an integer type, double, string, byte[], LuaTable or LuaLightUserData.",
                        nameof(value));
                }
                WriteInteger(ref writer, integer);
                break;
        }
    }

    internal static bool TryGetInteger(object value, out long integer)
    {
        switch (value)
        {
            case long l: integer = l; return true;
            case int i: integer = i; return true;
            case short s: integer = s; return true;
            case sbyte sb: integer = sb; return true;
            case byte b: integer = b; return true;
            case ushort us: integer = us; return true;
            case uint ui: integer = ui; return true;
            case ulong ul when ul <= long.MaxValue: integer = (long)ul; return true;
            default: integer = 0; return false;
        }
    }

    // wb_integer: zero; qword unless it fits int32; negative int32 as dword; then byte, word, dword by size.
    internal static void WriteInteger(ref PackWriter writer, long v)
    {
        if (v == 0)
        {
            writer.WriteUnmanaged(SeriType.Combine(SeriType.Number, SeriType.Zero));
        }
        else if (v != (int)v)
        {
            writer.WriteUnmanaged(SeriType.Combine(SeriType.Number, SeriType.QWord));
            writer.WriteUnmanaged(v);
        }
        else if (v < 0)
        {
            writer.WriteUnmanaged(SeriType.Combine(SeriType.Number, SeriType.DWord));
            writer.WriteUnmanaged((int)v);
        }
        else if (v < 0x100)
        {
            writer.WriteUnmanaged(SeriType.Combine(SeriType.Number, SeriType.Byte));
            writer.WriteUnmanaged((byte)v);
        }
        else if (v < 0x10000)
        {
            writer.WriteUnmanaged(SeriType.Combine(SeriType.Number, SeriType.Word));
            writer.WriteUnmanaged((ushort)v);
        }
        else
        {
            writer.WriteUnmanaged(SeriType.Combine(SeriType.Number, SeriType.DWord));
            writer.WriteUnmanaged((uint)v);
        }
    }

    static void WriteReal(ref PackWriter writer, double v)
    {
        writer.WriteUnmanaged(SeriType.Combine(SeriType.Number, SeriType.Real));
        writer.WriteUnmanaged(v);
    }

    static void WriteString(ref PackWriter writer, string s)
    {
        int length = StrictUtf8.ByteCount(s);
        WriteStringHeader(ref writer, length);
        int written = StrictUtf8.Instance.GetBytes(s, writer.GetSpan(length));
        writer.Advance(written);
    }

    static void WriteString(ref PackWriter writer, ReadOnlySpan<byte> bytes)
    {
        WriteStringHeader(ref writer, bytes.Length);
        writer.WriteRaw(bytes);
    }

    // wb_string: lengths below 32 fit the cookie; longer strings carry a u16 or u32 length.
    static void WriteStringHeader(ref PackWriter writer, int length)
    {
        if (length < SeriType.MaxCookie)
        {
            writer.WriteUnmanaged(SeriType.Combine(SeriType.ShortString, length));
        }
        else if (length < 0x10000)
        {
            writer.WriteUnmanaged(SeriType.Combine(SeriType.LongString, 2));
            writer.WriteUnmanaged((ushort)length);
        }
        else
        {
            writer.WriteUnmanaged(SeriType.Combine(SeriType.LongString, 4));
            writer.WriteUnmanaged((uint)length);
        }
    }

    // wb_table_array then wb_table_hash; the hash part ends with a nil.
    static void WriteTable(ref PackWriter writer, LuaTable table, int depth)
    {
        int arraySize = table.Array.Count;
        if (arraySize >= SeriType.MaxCookie - 1)
        {
            writer.WriteUnmanaged(SeriType.Combine(SeriType.Table, SeriType.MaxCookie - 1));
            WriteInteger(ref writer, arraySize);
        }
        else
        {
            writer.WriteUnmanaged(SeriType.Combine(SeriType.Table, arraySize));
        }
        foreach (object? item in table.Array)
        {
            WriteValue(ref writer, item, depth);
        }
        foreach (KeyValuePair<object, object?> pair in table.Hash)
        {
            if (pair.Value is null
                || (TryGetInteger(pair.Key, out long index) && index > 0 && index <= arraySize))
            {
                continue;
            }
            WriteValue(ref writer, pair.Key, depth);
            WriteValue(ref writer, pair.Value, depth);
        }
        writer.WriteUnmanaged((byte)SeriType.Nil);
    }
}
