using System.Text.Unicode;

namespace Skynet.Codecs;

/// <summary>The decoding half of <see cref="SkynetPack"/>: lua-seri's <c>push_value</c>/<c>unpack_table</c>, with
/// every length checked against the bytes left before anything is allocated, and nesting bounded by the same
/// limit skynet applies when packing (skynet itself only bounds it by the Lua stack).</summary>
internal static class SeriReader
{
    static readonly object True = true;
    static readonly object False = false;
    static readonly object Zero = 0L;

    internal static object? ReadValue(ref PackReader reader, LuaStringMode strings, int depth)
    {
        if (depth > SkynetPack.MaxDepth)
        {
            PackException.Throw($"skynet.pack: tables nested deeper than {SkynetPack.MaxDepth}.");
        }
        byte tag = reader.ReadUnmanaged<byte>();
        int cookie = tag >> 3;
        switch (tag & 7)
        {
            case SeriType.Nil:
                return null;
            case SeriType.Boolean:
                // lua_pushboolean(L, cookie): any non-zero cookie is true.
                return cookie != 0 ? True : False;
            case SeriType.Number:
                return cookie == SeriType.Real ? reader.ReadUnmanaged<double>() : ReadInteger(ref reader, cookie);
            case SeriType.UserData:
                return new LuaLightUserData(reader.ReadUnmanaged<ulong>());
            case SeriType.ShortString:
                return ReadString(ref reader, cookie, strings);
            case SeriType.LongString:
                return ReadString(ref reader, ReadLongStringLength(ref reader, cookie), strings);
            case SeriType.Table:
                return ReadTable(ref reader, cookie, strings, depth + 1);
            default:
                PackException.Throw($"skynet.pack: unknown type byte 0x{tag:x2}.");
                return null;
        }
    }

    // Zero is the commonest integer; hand out one shared box for it.
    static object ReadInteger(ref PackReader reader, int cookie) =>
        cookie == SeriType.Zero ? Zero : GetInteger(ref reader, cookie);

    // get_integer: the subtype decides the width; word is unsigned, dword and qword signed.
    static long GetInteger(ref PackReader reader, int cookie)
    {
        switch (cookie)
        {
            case SeriType.Zero: return 0;
            case SeriType.Byte: return reader.ReadUnmanaged<byte>();
            case SeriType.Word: return reader.ReadUnmanaged<ushort>();
            case SeriType.DWord: return reader.ReadUnmanaged<int>();
            case SeriType.QWord: return reader.ReadUnmanaged<long>();
            default:
                PackException.Throw($"skynet.pack: unknown number subtype {cookie}.");
                return 0;
        }
    }

    static int ReadLongStringLength(ref PackReader reader, int cookie)
    {
        long length = cookie switch
        {
            2 => reader.ReadUnmanaged<ushort>(),
            4 => reader.ReadUnmanaged<uint>(),
            _ => throw new PackException($"skynet.pack: unknown long string width {cookie}."),
        };
        if (length > reader.Remaining)
        {
            PackException.ThrowLength("skynet.pack string", length, reader.Remaining);
        }
        return (int)length;
    }

    static object ReadString(ref PackReader reader, int length, LuaStringMode strings)
    {
        ReadOnlySpan<byte> bytes = reader.ReadRaw(length);
        if (strings == LuaStringMode.Auto && Utf8.IsValid(bytes))
        {
            return StrictUtf8.Instance.GetString(bytes);
        }
        return bytes.ToArray();
    }

    static LuaTable ReadTable(ref PackReader reader, int cookie, LuaStringMode strings, int depth)
    {
        int arraySize = cookie;
        if (cookie == SeriType.MaxCookie - 1)
        {
            // The size follows as a full integer value; unpack_table rejects anything but an integer.
            byte tag = reader.ReadUnmanaged<byte>();
            if ((tag & 7) != SeriType.Number || tag >> 3 == SeriType.Real)
            {
                PackException.Throw($"skynet.pack: table size must be an integer, found type byte 0x{tag:x2}.");
            }
            long size = GetInteger(ref reader, tag >> 3);
            // Every element takes at least one byte, so a size beyond the bytes left is a lie.
            if (size < 0 || size > reader.Remaining)
            {
                PackException.ThrowLength("skynet.pack table array", size, reader.Remaining);
            }
            arraySize = (int)size;
        }
        var table = new LuaTable(arraySize);
        for (int i = 0; i < arraySize; i++)
        {
            table.Array.Add(ReadValue(ref reader, strings, depth));
        }
        while (true)
        {
            object? key = ReadValue(ref reader, strings, depth);
            if (key is null)
            {
                return table;
            }
            object? value = ReadValue(ref reader, strings, depth);
            if (key is double d && double.IsNaN(d))
            {
                PackException.Throw("skynet.pack: a table key is NaN.");
            }
            table.RawSet(key, value);
        }
    }
}
