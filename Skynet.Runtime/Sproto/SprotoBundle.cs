using System.Buffers.Binary;
using System.Text;

namespace Skynet.Sproto;

/// <summary>
/// Writes a schema as the binary bundle skynet's <c>sprotoparser.parse</c> returns (the form <c>sproto.new</c>,
/// <c>sprotoloader.save</c> and <c>sprotodump</c> exchange), byte for byte: types in name order, protocols in tag
/// order, each record encoded as sproto's self-describing <c>.type</c>/<c>.protocol</c>/<c>.group</c> messages.
/// </summary>
internal static class SprotoBundle
{
    internal static byte[] Write(IReadOnlyList<SprotoType> types, IReadOnlyList<SprotoProtocol> protocols)
    {
        if (types.Count == 0) return [0, 0];
        var ids = new Dictionary<SprotoType, int>();
        for (var i = 0; i < types.Count; i++) ids[types[i]] = i;

        var tt = new MemoryStream();
        foreach (var t in types) PackBytes(tt, PackType(t, ids));
        var result = new MemoryStream();
        if (protocols.Count == 0)
        {
            result.Write([1, 0, 0, 0]);
            PackBytes(result, tt.ToArray());
        }
        else
        {
            var tp = new MemoryStream();
            foreach (var p in protocols) PackBytes(tp, PackProto(p, ids));
            result.Write([2, 0, 0, 0, 0, 0]);
            PackBytes(result, tt.ToArray());
            PackBytes(result, tp.ToArray());
        }
        return result.ToArray();
    }

    static byte[] PackType(SprotoType t, Dictionary<SprotoType, int> ids)
    {
        var s = new MemoryStream();
        if (t.Fields.Count == 0)
        {
            s.Write([1, 0, 0, 0]);
            PackBytes(s, Encoding.UTF8.GetBytes(t.Name));
            return s.ToArray();
        }
        var fields = new MemoryStream();
        foreach (var f in t.Fields) PackBytes(fields, PackField(f, ids));
        s.Write([2, 0, 0, 0, 0, 0]);
        PackBytes(s, Encoding.UTF8.GetBytes(t.Name));
        PackBytes(s, fields.ToArray());
        return s.ToArray();
    }

    static byte[] PackField(SprotoField f, Dictionary<SprotoType, int> ids)
    {
        var s = new MemoryStream();
        var count = f.IsArray ? (f.KeyTag >= 0 ? (f.IsMap ? 7 : 6) : 5) : 4;
        s.Write([(byte)count, 0]);
        s.Write([0, 0]); // name (tag 0) in the data part
        if (f.Kind != SprotoFieldKind.Struct)
        {
            PackValue(s, (int)f.Kind);                                    // buildin (tag 1)
            if (f.Decimal is int precision) PackValue(s, precision);      // type (tag 2): precision ...
            else if (f.IsBinary) PackValue(s, 1);                         // ... or binary
            else s.Write([1, 0]);                                         // ... or skipped
        }
        else
        {
            s.Write([1, 0]);                                              // skip buildin
            PackValue(s, ids[f.Struct!]);                                 // type index (tag 2)
        }
        PackValue(s, f.Tag);                                              // tag (tag 3)
        if (f.IsArray)
        {
            PackValue(s, 1);                                              // array (tag 4)
            if (f.KeyTag >= 0)
            {
                PackValue(s, f.KeyTag);                                   // key (tag 5)
                if (f.IsMap) PackValue(s, 1);                             // map (tag 6)
            }
        }
        PackBytes(s, Encoding.UTF8.GetBytes(f.Name));
        return s.ToArray();
    }

    static byte[] PackProto(SprotoProtocol p, Dictionary<SprotoType, int> ids)
    {
        var s = new MemoryStream();
        var header = new MemoryStream();
        int count;
        header.Write([0, 0]); // name
        PackValue(header, p.Tag);
        if (p.Request is null && p.Response is null && !p.Confirm) count = 2;
        else
        {
            if (p.Request is not null) PackValue(header, ids[p.Request]);
            else header.Write([1, 0]);
            if (p.Response is not null)
            {
                PackValue(header, ids[p.Response]);
                count = 4;
            }
            else if (p.Confirm)
            {
                header.Write([1, 0]);
                PackValue(header, 1);
                count = 5;
            }
            else count = 3;
        }
        s.Write([(byte)count, 0]);
        s.Write(header.ToArray());
        PackBytes(s, Encoding.UTF8.GetBytes(p.Name));
        return s.ToArray();
    }

    static void PackValue(Stream s, int id)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, checked((ushort)((id + 1) * 2)));
        s.Write(b);
    }

    static void PackBytes(Stream s, byte[] bytes)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, bytes.Length);
        s.Write(b);
        s.Write(bytes);
    }
}
