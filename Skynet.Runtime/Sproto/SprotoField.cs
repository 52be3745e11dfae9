namespace Skynet.Sproto;

/// <summary>One field of a <see cref="SprotoType"/>: <c>name tag : [*]type[(key|precision)]</c>.</summary>
public sealed class SprotoField
{
    internal SprotoField(string name, int tag, SprotoFieldKind kind, bool isArray)
    {
        Name = name;
        Tag = tag;
        Kind = kind;
        IsArray = isArray;
    }

    /// <summary>The field's name, the key of its value in a <see cref="SprotoObject"/>.</summary>
    public string Name { get; }

    /// <summary>The field's tag (ascending within a type).</summary>
    public int Tag { get; }

    /// <summary>The built-in kind, or <see cref="SprotoFieldKind.Struct"/>.</summary>
    public SprotoFieldKind Kind { get; }

    /// <summary><c>*type</c>: an array (or, with <see cref="KeyTag"/>, a map).</summary>
    public bool IsArray { get; }

    /// <summary><c>binary</c> rather than <c>string</c>: values are <see cref="byte"/> arrays, not text.</summary>
    public bool IsBinary { get; internal set; }

    /// <summary><c>integer(n)</c>: the number of decimal digits of the fixed point; values are <see cref="double"/>.</summary>
    public int? Decimal { get; internal set; }

    /// <summary>The scale of a decimal field (10^<see cref="Decimal"/>), 0 for a plain integer.</summary>
    internal long Scale { get; set; }

    /// <summary>The element type when <see cref="Kind"/> is <see cref="SprotoFieldKind.Struct"/>.</summary>
    public SprotoType? Struct { get; internal set; }

    /// <summary><c>*T(key)</c>: the tag of the element field that keys the map, or -1 for a plain array.</summary>
    public int KeyTag { get; internal set; } = -1;

    /// <summary><c>*T()</c>: a two-field struct read as key (first field) to value (second field).</summary>
    public bool IsMap { get; internal set; }

    /// <summary>The schema's own spelling of the type, for error messages (<c>*Person(id)</c>, <c>integer(2)</c>).</summary>
    public override string ToString()
    {
        var type = Kind switch
        {
            SprotoFieldKind.Integer => Decimal is int d ? $"integer({d})" : "integer",
            SprotoFieldKind.Boolean => "boolean",
            SprotoFieldKind.String => IsBinary ? "binary" : "string",
            SprotoFieldKind.Double => "double",
            _ => Struct!.Name,
        };
        return $"{Name} {Tag} : {(IsArray ? "*" : "")}{type}";
    }
}
