namespace Skynet.Sproto;

/// <summary>
/// A sproto schema: skynet's <c>sproto</c> object. Parse the schema text once (<see cref="Parse"/>, like
/// <c>sproto.parse</c>), then encode and decode <see cref="SprotoObject"/>s by type name, or create an RPC
/// <see cref="Host(string)"/>. Immutable and safe to share between services and threads (skynet shares one through
/// <c>sprotoloader</c>; here a static field or a DI singleton does).
/// </summary>
/// <remarks>
/// A runtime model rather than generated C# types: sproto messages are dynamically shaped (fields may be absent,
/// maps and arrays nest freely) and skynet users port Lua code that reads them as tables, so the decoded form is a
/// dictionary; typed wrappers can be written on top where wanted.
/// </remarks>
public sealed class SprotoSchema
{
    readonly Dictionary<string, SprotoType> _types;
    readonly Dictionary<string, SprotoProtocol> _protocolsByName;
    readonly Dictionary<int, SprotoProtocol> _protocolsByTag;
    readonly SprotoType[] _typeList;
    readonly SprotoProtocol[] _protocolList;

    SprotoSchema(SprotoType[] types, SprotoProtocol[] protocols)
    {
        _typeList = types;
        _protocolList = protocols;
        _types = types.ToDictionary(t => t.Name, StringComparer.Ordinal);
        _protocolsByName = protocols.ToDictionary(p => p.Name, StringComparer.Ordinal);
        _protocolsByTag = protocols.ToDictionary(p => p.Tag);
    }

    /// <summary>Parses schema text (skynet's <c>sproto.parse</c> / <c>sprotoparser.parse</c>).</summary>
    /// <param name="text">The schema in sproto's language.</param>
    /// <param name="fileName">A name for error messages.</param>
    /// <exception cref="SprotoException">A syntax error (with line), a redefinition or an undefined type.</exception>
    public static SprotoSchema Parse(string text, string fileName = "=text")
    {
        ArgumentNullException.ThrowIfNull(text);
        var (types, protocols) = SprotoParser.Parse(text, fileName);
        return new SprotoSchema(types, protocols);
    }

    /// <summary>Loads a binary bundle (skynet's <c>sproto.new(bin)</c>; the bytes <c>sprotoparser.parse</c> or
    /// <see cref="ToBundle"/> write).</summary>
    /// <param name="bundle">The bundle.</param>
    /// <exception cref="SprotoException">The bytes are not a valid bundle.</exception>
    public static SprotoSchema Load(ReadOnlySpan<byte> bundle)
    {
        var (types, protocols) = SprotoBundleReader.Read(bundle);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in types) if (!names.Add(t.Name)) throw new SprotoException($"invalid sproto bundle: type {t.Name} twice");
        names.Clear();
        foreach (var p in protocols) if (!names.Add(p.Name)) throw new SprotoException($"invalid sproto bundle: protocol {p.Name} twice");
        return new SprotoSchema(types, protocols);
    }

    /// <summary>The types, in name order (their index is the type id of the binary bundle).</summary>
    public IReadOnlyList<SprotoType> Types => _typeList;

    /// <summary>The protocols, in tag order.</summary>
    public IReadOnlyList<SprotoProtocol> Protocols => _protocolList;

    /// <summary>The binary bundle skynet's <c>sprotoparser.parse</c> returns for the same text, byte for byte.</summary>
    public byte[] ToBundle() => SprotoBundle.Write(_typeList, _protocolList);

    /// <summary>Whether a type exists (<c>sproto:exist_type</c>).</summary>
    /// <param name="typeName">The type's full name.</param>
    public bool ExistType(string typeName) => _types.ContainsKey(typeName);

    /// <summary>Whether a protocol exists (<c>sproto:exist_proto</c>).</summary>
    /// <param name="protocolName">The protocol's name.</param>
    public bool ExistProto(string protocolName) => _protocolsByName.ContainsKey(protocolName);

    /// <summary>The type named <paramref name="typeName"/>.</summary>
    /// <param name="typeName">The type's full name (<c>Person.PhoneNumber</c>).</param>
    /// <exception cref="SprotoException">No such type.</exception>
    public SprotoType GetType(string typeName) =>
        _types.TryGetValue(typeName, out var t) ? t : throw new SprotoException($"type {typeName} not found");

    /// <summary>The protocol named <paramref name="name"/>.</summary>
    /// <param name="name">The protocol's name.</param>
    /// <exception cref="SprotoException">No such protocol.</exception>
    public SprotoProtocol GetProtocol(string name) =>
        _protocolsByName.TryGetValue(name, out var p) ? p : throw new SprotoException($"{name} not found");

    /// <summary>The protocol with <paramref name="tag"/>.</summary>
    /// <param name="tag">The protocol's tag.</param>
    /// <exception cref="SprotoException">No such protocol.</exception>
    public SprotoProtocol GetProtocol(int tag) =>
        _protocolsByTag.TryGetValue(tag, out var p) ? p : throw new SprotoException($"protocol tag {tag} not found");

    /// <summary>Encodes <paramref name="value"/> as <paramref name="typeName"/> (<c>sproto:encode</c>).</summary>
    /// <param name="typeName">The type's full name.</param>
    /// <param name="value">The fields; null encodes an empty struct.</param>
    /// <exception cref="SprotoException">A value does not fit its field, or the result passes 16 MiB.</exception>
    public byte[] Encode(string typeName, IReadOnlyDictionary<string, object?>? value) => SprotoEncoder.Encode(GetType(typeName), value);

    /// <summary>Decodes <paramref name="data"/> as <paramref name="typeName"/> (<c>sproto:decode</c>).</summary>
    /// <param name="typeName">The type's full name.</param>
    /// <param name="data">Encoded bytes (trailing bytes are ignored, as skynet does).</param>
    /// <exception cref="SprotoException">The bytes do not decode.</exception>
    public SprotoObject Decode(string typeName, ReadOnlySpan<byte> data) => SprotoDecoder.Decode(GetType(typeName), data).Value;

    /// <summary>Encodes then packs (<c>sproto:pencode</c>).</summary>
    /// <param name="typeName">The type's full name.</param>
    /// <param name="value">The fields.</param>
    public byte[] PEncode(string typeName, IReadOnlyDictionary<string, object?>? value) => SprotoPacking.Pack(Encode(typeName, value));

    /// <summary>Unpacks then decodes (<c>sproto:pdecode</c>).</summary>
    /// <param name="typeName">The type's full name.</param>
    /// <param name="data">Packed bytes.</param>
    public SprotoObject PDecode(string typeName, ReadOnlySpan<byte> data) => Decode(typeName, SprotoPacking.Unpack(data));

    /// <summary>Encodes a request of <paramref name="protocolName"/> (<c>sproto:request_encode</c>); empty when the
    /// protocol's request carries no content.</summary>
    /// <param name="protocolName">The protocol's name.</param>
    /// <param name="args">The request's fields.</param>
    public byte[] RequestEncode(string protocolName, IReadOnlyDictionary<string, object?>? args)
    {
        var p = GetProtocol(protocolName);
        return p.Request is null ? [] : SprotoEncoder.Encode(p.Request, args);
    }

    /// <summary>Encodes a response of <paramref name="protocolName"/> (<c>sproto:response_encode</c>).</summary>
    /// <param name="protocolName">The protocol's name.</param>
    /// <param name="args">The response's fields.</param>
    public byte[] ResponseEncode(string protocolName, IReadOnlyDictionary<string, object?>? args)
    {
        var p = GetProtocol(protocolName);
        return p.Response is null ? [] : SprotoEncoder.Encode(p.Response, args);
    }

    /// <summary>Decodes a request of <paramref name="protocolName"/> (<c>sproto:request_decode</c>); null when it
    /// carries no content.</summary>
    /// <param name="protocolName">The protocol's name.</param>
    /// <param name="data">Encoded bytes.</param>
    public SprotoObject? RequestDecode(string protocolName, ReadOnlySpan<byte> data)
    {
        var p = GetProtocol(protocolName);
        return p.Request is null ? null : SprotoDecoder.Decode(p.Request, data).Value;
    }

    /// <summary>Decodes a response of <paramref name="protocolName"/> (<c>sproto:response_decode</c>).</summary>
    /// <param name="protocolName">The protocol's name.</param>
    /// <param name="data">Encoded bytes.</param>
    public SprotoObject? ResponseDecode(string protocolName, ReadOnlySpan<byte> data)
    {
        var p = GetProtocol(protocolName);
        return p.Response is null ? null : SprotoDecoder.Decode(p.Response, data).Value;
    }

    /// <summary>Creates an RPC host that reads messages whose header is <paramref name="packageName"/>
    /// (<c>sproto:host "package"</c>).</summary>
    /// <param name="packageName">The header type, conventionally <c>package</c> with <c>type</c> and <c>session</c>.</param>
    /// <exception cref="SprotoException">The schema has no such type.</exception>
    public SprotoHost Host(string packageName = "package") =>
        _types.TryGetValue(packageName, out var t) ? new SprotoHost(this, t) : throw new SprotoException("type package not found");
}
