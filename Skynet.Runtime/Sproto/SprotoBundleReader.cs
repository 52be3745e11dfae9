namespace Skynet.Sproto;

/// <summary>
/// Reads the binary bundle (<c>sprotoparser.parse</c>'s output, what <c>sproto.new</c> and skynet's
/// <c>sproto_create</c> take). The bundle is itself a sproto message of the self-describing schema below, so it is
/// decoded with the same bounds-checked decoder as any message, then checked the way <c>sproto_create</c> checks it
/// (built-in kinds, type indexes, ascending tags) plus what skynet leaves to crash later (map keys, protocol order).
/// </summary>
internal static class SprotoBundleReader
{
    static readonly SprotoSchema Meta = SprotoSchema.Parse("""
        .type {
            .field {
                name 0 : string
                buildin 1 : integer
                type 2 : integer
                tag 3 : integer
                array 4 : boolean
                key 5 : integer
                map 6 : boolean
            }
            name 0 : string
            fields 1 : *field
        }
        .protocol {
            name 0 : string
            tag 1 : integer
            request 2 : integer
            response 3 : integer
            confirm 4 : boolean
        }
        .group {
            type 0 : *type
            protocol 1 : *protocol
        }
        """, "sproto meta schema");

    internal static (SprotoType[] Types, SprotoProtocol[] Protocols) Read(ReadOnlySpan<byte> bundle)
    {
        SprotoObject group;
        try
        {
            group = Meta.Decode("group", bundle);
        }
        catch (SprotoException e)
        {
            throw new SprotoException($"invalid sproto bundle: {e.Message}", e);
        }
        var typeObjects = group.Get<List<object?>>("type") ?? [];
        var protoObjects = group.Get<List<object?>>("protocol") ?? [];
        var types = new SprotoType[typeObjects.Count];
        for (var i = 0; i < types.Length; i++)
            types[i] = new SprotoType(((SprotoObject)typeObjects[i]!).Get<string>("name") ?? throw Bad($"type {i} has no name"));

        for (var i = 0; i < types.Length; i++)
        {
            var fieldObjects = ((SprotoObject)typeObjects[i]!).Get<List<object?>>("fields") ?? [];
            var fields = new SprotoField[fieldObjects.Count];
            var last = -1;
            for (var j = 0; j < fields.Length; j++)
            {
                var f = fields[j] = ReadField(types, types[i], (SprotoObject)fieldObjects[j]!);
                if (f.Tag <= last) throw Bad($"{types[i].Name}.{f.Name}: tags must ascend");
                last = f.Tag;
            }
            types[i].SetFields(fields);
        }
        foreach (var t in types)
            foreach (var f in t.Fields)
                CheckKey(t, f);

        var protocols = new SprotoProtocol[protoObjects.Count];
        var lastTag = -1L;
        for (var i = 0; i < protocols.Length; i++)
        {
            var p = (SprotoObject)protoObjects[i]!;
            var name = p.Get<string>("name") ?? throw Bad($"protocol {i} has no name");
            var tag = p.TryGetValue("tag", out var t) && t is long l ? l : throw Bad($"protocol {name} has no tag");
            if (tag <= lastTag || tag > int.MaxValue) throw Bad($"protocol {name}: tags must ascend");
            lastTag = tag;
            protocols[i] = new SprotoProtocol(name, (int)tag, TypeAt(types, p, "request", name), TypeAt(types, p, "response", name), p.Get<bool>("confirm"));
        }
        return (types, protocols);
    }

    static SprotoField ReadField(SprotoType[] types, SprotoType owner, SprotoObject f)
    {
        var name = f.Get<string>("name") ?? throw Bad($"a field of {owner.Name} has no name");
        var tag = f.TryGetValue("tag", out var tagValue) && tagValue is long t && t is >= 0 and <= int.MaxValue ? (int)t : throw Bad($"{owner.Name}.{name} has no valid tag");
        var isArray = f.Get<bool>("array");
        var extra = f.TryGetValue("type", out var typeValue) && typeValue is long x ? x : (long?)null;
        SprotoField field;
        if (f.TryGetValue("buildin", out var builtinValue) && builtinValue is long builtin)
        {
            if (builtin is < 0 or > (long)SprotoFieldKind.Double) throw Bad($"{owner.Name}.{name}: invalid buildin type {builtin}");
            field = new SprotoField(name, tag, (SprotoFieldKind)builtin, isArray);
            if (extra is long e && field.Kind == SprotoFieldKind.Integer)
            {
                if (e is < 0 or > 18) throw Bad($"{owner.Name}.{name}: decimal precision {e} out of 0..18");
                field.Decimal = (int)e;
                field.Scale = (long)Math.Pow(10, e);
            }
            else if (extra is 1 && field.Kind == SprotoFieldKind.String) field.IsBinary = true;
        }
        else
        {
            if (extra is not long index || index < 0 || index >= types.Length) throw Bad($"{owner.Name}.{name}: invalid type index {extra}");
            field = new SprotoField(name, tag, SprotoFieldKind.Struct, isArray) { Struct = types[index] };
        }
        if (f.TryGetValue("key", out var keyValue) && keyValue is long key)
        {
            if (!isArray || field.Kind != SprotoFieldKind.Struct || key is < 0 or > int.MaxValue) throw Bad($"{owner.Name}.{name}: a key needs an array of structs");
            field.KeyTag = (int)key;
            field.IsMap = f.Get<bool>("map");
        }
        return field;
    }

    static void CheckKey(SprotoType owner, SprotoField f)
    {
        if (f.KeyTag < 0) return;
        var key = f.Struct!.FindTag(f.KeyTag);
        if (key is null || key.Kind == SprotoFieldKind.Struct) throw Bad($"{owner.Name}.{f.Name}: invalid map index tag {f.KeyTag}");
        if (f.IsMap && f.Struct.Fields.Count != 2) throw Bad($"{owner.Name}.{f.Name}: a map needs a struct of two fields");
    }

    static SprotoType? TypeAt(SprotoType[] types, SprotoObject p, string which, string name)
    {
        if (!p.TryGetValue(which, out var v) || v is not long index) return null;
        return index >= 0 && index < types.Length ? types[index] : throw Bad($"protocol {name}: invalid {which} type index {index}");
    }

    static SprotoException Bad(string what) => new($"invalid sproto bundle: {what}");
}
