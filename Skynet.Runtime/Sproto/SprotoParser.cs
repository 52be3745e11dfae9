using System.Globalization;

namespace Skynet.Sproto;

/// <summary>
/// Parses sproto's schema language the way skynet's <c>sprotoparser.lua</c> does: the same grammar (types with
/// nested types, protocols with inline or named request/response types, <c>*T</c> arrays, <c>*T(key)</c> and
/// <c>*T()</c> maps, <c>integer(n)</c> decimals, <c>#</c> comments), the same name resolution (innermost enclosing
/// type first) and the same errors for redefinitions and undefined types.
/// </summary>
internal sealed class SprotoParser
{
    sealed record FieldDecl(string Name, int Tag, bool Array, string TypeName, string? Paren, int Line);

    sealed record TypeDecl(string Name, List<object> Items, int Line); // items: FieldDecl | TypeDecl

    sealed record SubProto(string Which, string? TypeName, TypeDecl? Inline, int Line);

    sealed record ProtoDecl(string Name, int Tag, List<SubProto> Subs, int Line);

    sealed class FieldSpec(FieldDecl decl)
    {
        public FieldDecl Decl { get; } = decl;
        public string TypeName { get; set; } = decl.TypeName;
    }

    sealed class ProtoSpec(string name, int tag)
    {
        public string Name { get; } = name;
        public int Tag { get; } = tag;
        public string? Request { get; set; }
        public string? Response { get; set; }
        public bool Confirm { get; set; }
    }

    static readonly Dictionary<string, (SprotoFieldKind Kind, bool Binary)> Builtins = new(StringComparer.Ordinal)
    {
        ["integer"] = (SprotoFieldKind.Integer, false),
        ["boolean"] = (SprotoFieldKind.Boolean, false),
        ["string"] = (SprotoFieldKind.String, false),
        ["binary"] = (SprotoFieldKind.String, true),
        ["double"] = (SprotoFieldKind.Double, false),
    };

    readonly string _text;
    readonly string _file;
    int _pos;
    int _line = 1;

    SprotoParser(string text, string file)
    {
        _text = text;
        _file = file;
    }

    internal static (SprotoType[] Types, SprotoProtocol[] Protocols) Parse(string text, string file)
    {
        var p = new SprotoParser(text, file);
        var (types, protos) = p.ParseAll();
        return Build(types, protos);
    }

    // ---- grammar ------------------------------------------------------------------------------------------

    (List<TypeDecl>, List<ProtoDecl>) ParseAll()
    {
        var types = new List<TypeDecl>();
        var protos = new List<ProtoDecl>();
        SkipBlanks();
        while (_pos < _text.Length)
        {
            if (Peek() == '.') types.Add(ParseType());
            else protos.Add(ParseProtocol());
            SkipBlanks();
        }
        return (types, protos);
    }

    TypeDecl ParseType()
    {
        var line = _line;
        Expect('.');
        var name = Word();
        SkipBlanks();
        return new TypeDecl(name, ParseStruct(), line);
    }

    List<object> ParseStruct()
    {
        Expect('{');
        var items = new List<object>();
        SkipBlanks();
        while (Peek() != '}')
        {
            if (_pos >= _text.Length) throw Syntax("'}' expected");
            items.Add(Peek() == '.' ? ParseType() : ParseField());
            SkipBlanks();
        }
        _pos++;
        return items;
    }

    FieldDecl ParseField()
    {
        var line = _line;
        var name = Word();
        RequireBlanks();
        var tag = Tag();
        SkipBlanks();
        Expect(':');
        SkipBlanks();
        var array = false;
        if (Peek() == '*')
        {
            array = true;
            _pos++;
        }
        var typeName = TypeName();
        string? paren = null;
        if (Peek() == '(')
        {
            _pos++;
            SkipBlanks();
            var start = _pos;
            while (_pos < _text.Length && IsAlnum(_text[_pos])) _pos++;
            paren = _text[start.._pos];
            if (paren.Length > 0 && !IsAlpha(paren[0]) && !paren.All(char.IsAsciiDigit)) throw Syntax("a key name or a decimal precision expected in '( )'");
            SkipBlanks();
            Expect(')');
        }
        return new FieldDecl(name, tag, array, typeName, paren, line);
    }

    ProtoDecl ParseProtocol()
    {
        var line = _line;
        var name = Word();
        RequireBlanks();
        var tag = Tag();
        SkipBlanks();
        Expect('{');
        var subs = new List<SubProto>();
        SkipBlanks();
        while (Peek() != '}')
        {
            if (_pos >= _text.Length) throw Syntax("'}' expected");
            var subLine = _line;
            var which = Word();
            if (which is not ("request" or "response")) throw Syntax($"'request' or 'response' expected, not '{which}'");
            RequireBlanks();
            if (Peek() == '{') subs.Add(new SubProto(which, null, new TypeDecl($"{name}.{which}", ParseStruct(), subLine), subLine));
            else subs.Add(new SubProto(which, TypeName(), null, subLine));
            SkipBlanks();
        }
        _pos++;
        return new ProtoDecl(name, tag, subs, line);
    }

    // ---- lexer --------------------------------------------------------------------------------------------

    char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

    static bool IsAlpha(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_';

    static bool IsAlnum(char c) => IsAlpha(c) || char.IsAsciiDigit(c);

    void Expect(char c)
    {
        if (Peek() != c) throw Syntax($"'{c}' expected");
        _pos++;
    }

    string Word()
    {
        if (!IsAlpha(Peek())) throw Syntax("a name expected");
        var start = _pos;
        while (_pos < _text.Length && IsAlnum(_text[_pos])) _pos++;
        return _text[start.._pos];
    }

    string TypeName()
    {
        var start = _pos;
        Word();
        while (Peek() == '.' && _pos + 1 < _text.Length && IsAlpha(_text[_pos + 1]))
        {
            _pos++;
            Word();
        }
        return _text[start.._pos];
    }

    int Tag()
    {
        var start = _pos;
        while (char.IsAsciiDigit(Peek())) _pos++;
        if (start == _pos) throw Syntax("a tag number expected");
        if (!int.TryParse(_text.AsSpan(start, _pos - start), NumberStyles.None, CultureInfo.InvariantCulture, out var tag) || tag > MaxTag)
            throw Syntax($"tag {_text[start.._pos]} is out of range (0..{MaxTag})");
        return tag;
    }

    /// <summary>sprotoparser writes every tag as a 16-bit (tag + 1) * 2.</summary>
    internal const int MaxTag = 0x7ffe;

    void RequireBlanks()
    {
        var before = _pos;
        SkipBlanks();
        if (before == _pos) throw Syntax("a blank expected");
    }

    void SkipBlanks()
    {
        while (_pos < _text.Length)
        {
            var c = _text[_pos];
            if (c is ' ' or '\t' or '\r') _pos++;
            else if (c == '\n')
            {
                _pos++;
                _line++;
            }
            else if (c == '#')
            {
                while (_pos < _text.Length && _text[_pos] != '\n') _pos++;
            }
            else break;
        }
    }

    SprotoException Syntax(string what)
    {
        var col = _pos - (_pos > 0 ? _text.LastIndexOf('\n', Math.Min(_pos, _text.Length) - 1) : -1);
        var near = _pos < _text.Length ? $" near '{_text.Substring(_pos, Math.Min(16, _text.Length - _pos)).Split('\n')[0]}'" : " at end of text";
        return new SprotoException($"syntax error at [{_file}] line ({_line}) column {col}: {what}{near}");
    }

    // ---- conversion (sprotoparser's adjust, check_protocol, flattypename, packgroup) -----------------------

    static (SprotoType[], SprotoProtocol[]) Build(List<TypeDecl> typeDecls, List<ProtoDecl> protoDecls)
    {
        var types = new Dictionary<string, List<FieldSpec>>(StringComparer.Ordinal);
        var protos = new Dictionary<string, ProtoSpec>(StringComparer.Ordinal);
        foreach (var t in typeDecls)
        {
            if (types.ContainsKey(t.Name)) throw new SprotoException($"redefined {t.Name}");
            ConvertType(types, t);
        }
        foreach (var p in protoDecls)
        {
            if (protos.ContainsKey(p.Name)) throw new SprotoException($"redefined {p.Name}");
            protos[p.Name] = ConvertProtocol(types, p);
        }

        var byTag = new Dictionary<int, string>();
        foreach (var (name, p) in protos)
        {
            if (!byTag.TryAdd(p.Tag, name)) throw new SprotoException($"redefined protocol tag {p.Tag} at {name}");
            if (p.Request is not null && !types.ContainsKey(p.Request)) throw new SprotoException($"Undefined request type {p.Request} in protocol {name}");
            if (p.Response is not null && !types.ContainsKey(p.Response)) throw new SprotoException($"Undefined response type {p.Response} in protocol {name}");
        }
        foreach (var (typeName, fields) in types)
        {
            foreach (var f in fields)
                f.TypeName = Resolve(types, typeName, f.TypeName) ?? throw new SprotoException($"Undefined type {f.TypeName} in type {typeName}");
        }

        // Type ids are positions in name order (sprotoparser sorts to make the binary stable).
        var names = types.Keys.ToArray();
        Array.Sort(names, StringComparer.Ordinal);
        var model = new Dictionary<string, SprotoType>(StringComparer.Ordinal);
        var ordered = new SprotoType[names.Length];
        for (var i = 0; i < names.Length; i++) model[names[i]] = ordered[i] = new SprotoType(names[i]);
        for (var i = 0; i < names.Length; i++)
        {
            var specs = types[names[i]];
            var fields = new SprotoField[specs.Count];
            for (var j = 0; j < specs.Count; j++) fields[j] = BuildField(names[i], specs[j], types, model);
            ordered[i].SetFields(fields);
        }

        var protocols = protos.Values
            .OrderBy(p => p.Tag)
            .Select(p => new SprotoProtocol(p.Name, p.Tag,
                p.Request is null ? null : model[p.Request],
                p.Response is null ? null : model[p.Response],
                p.Confirm))
            .ToArray();
        return (ordered, protocols);
    }

    static void ConvertType(Dictionary<string, List<FieldSpec>> all, TypeDecl decl)
    {
        var fields = new List<FieldSpec>();
        var tags = new HashSet<int>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in decl.Items)
        {
            if (item is FieldDecl f)
            {
                if (!names.Add(f.Name)) throw new SprotoException($"redefine {f.Name} in type {decl.Name}");
                if (!tags.Add(f.Tag)) throw new SprotoException($"redefine tag {f.Tag} in type {decl.Name}");
                if (f.Paren is not null && f.TypeName != "integer" && !f.Array)
                    throw new SprotoException($"{decl.Name}.{f.Name}: only an integer takes a precision '(n)' and only an array a key '(name)' (line {f.Line})");
                fields.Add(new FieldSpec(f));
            }
            else
            {
                var nested = (TypeDecl)item;
                var full = $"{decl.Name}.{nested.Name}";
                if (all.ContainsKey(full)) throw new SprotoException($"redefined {full}");
                ConvertType(all, nested with { Name = full });
            }
        }
        fields.Sort((a, b) => a.Decl.Tag.CompareTo(b.Decl.Tag));
        all[decl.Name] = fields;
    }

    static ProtoSpec ConvertProtocol(Dictionary<string, List<FieldSpec>> all, ProtoDecl decl)
    {
        var result = new ProtoSpec(decl.Name, decl.Tag);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sub in decl.Subs)
        {
            if (!seen.Add(sub.Which)) throw new SprotoException($"redefine {sub.Which} in protocol {decl.Name}");
            var typeName = sub.TypeName;
            if (sub.Inline is not null)
            {
                typeName = sub.Inline.Name;
                ConvertType(all, sub.Inline);
            }
            if (typeName == "nil")
            {
                if (sub.Which == "response") result.Confirm = true;
            }
            else if (sub.Which == "request") result.Request = typeName;
            else result.Response = typeName;
        }
        return result;
    }

    /// <summary>sprotoparser's <c>checktype</c>: a built-in, else the innermost enclosing scope that defines it.</summary>
    static string? Resolve(Dictionary<string, List<FieldSpec>> types, string scope, string name)
    {
        if (Builtins.ContainsKey(name)) return name;
        while (true)
        {
            var full = $"{scope}.{name}";
            if (types.ContainsKey(full)) return full;
            var dot = scope.LastIndexOf('.');
            if (dot <= 0) return types.ContainsKey(name) ? name : null;
            scope = scope[..dot];
        }
    }

    static SprotoField BuildField(string owner, FieldSpec spec, Dictionary<string, List<FieldSpec>> specs, Dictionary<string, SprotoType> model)
    {
        var d = spec.Decl;
        if (Builtins.TryGetValue(spec.TypeName, out var builtin))
        {
            var field = new SprotoField(d.Name, d.Tag, builtin.Kind, d.Array) { IsBinary = builtin.Binary };
            if (d.Paren is not null)
            {
                if (builtin.Kind != SprotoFieldKind.Integer)
                    throw new SprotoException($"{owner}.{d.Name}: a key '({d.Paren})' needs an array of a struct type");
                if (d.Paren.Length == 0 || !int.TryParse(d.Paren, NumberStyles.None, CultureInfo.InvariantCulture, out var precision) || precision > 18)
                    throw new SprotoException($"{owner}.{d.Name}: integer({d.Paren}) needs a decimal precision 0..18");
                field.Decimal = precision;
                field.Scale = (long)Math.Pow(10, precision);
            }
            return field;
        }

        var st = model[spec.TypeName];
        var result = new SprotoField(d.Name, d.Tag, SprotoFieldKind.Struct, d.Array) { Struct = st };
        if (d.Paren is null) return result;
        var subFields = specs[spec.TypeName];
        var keyName = d.Paren;
        if (keyName.Length == 0)
        {
            if (subFields.Count != 2) throw new SprotoException($"Invalid map definition: {d.Name}, must only have two fields");
            result.IsMap = true;
            keyName = subFields[0].Decl.Name; // fields are sorted: the first has the smallest tag
        }
        var key = subFields.FirstOrDefault(f => f.Decl.Name == keyName);
        if (key is null || !Builtins.ContainsKey(key.TypeName)) throw new SprotoException($"Invalid map index :{keyName}");
        result.KeyTag = key.Decl.Tag;
        return result;
    }
}
