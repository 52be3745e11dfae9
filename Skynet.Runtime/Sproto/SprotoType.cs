namespace Skynet.Sproto;

/// <summary>A user-defined sproto type (<c>.Name { ... }</c>, nested types named <c>Outer.Inner</c>).</summary>
public sealed class SprotoType
{
    SprotoField[] _fields = [];

    internal SprotoType(string name) => Name = name;

    /// <summary>The full name (<c>Person.PhoneNumber</c>; a protocol's inline request is <c>foobar.request</c>).</summary>
    public string Name { get; }

    /// <summary>The fields in ascending tag order.</summary>
    public IReadOnlyList<SprotoField> Fields => _fields;

    internal SprotoField[] FieldArray => _fields;

    /// <summary>The most field records an encoding can need: one per field plus one per gap in the tags.</summary>
    internal int MaxN { get; private set; }

    /// <summary>The first tag when the tags are contiguous (lookup by offset), else -1 (binary search).</summary>
    internal int Base { get; private set; } = -1;

    internal void SetFields(SprotoField[] fields)
    {
        _fields = fields;
        var maxn = fields.Length;
        var last = -1;
        foreach (var f in fields)
        {
            if (f.Tag > last + 1) maxn++;
            last = f.Tag;
        }
        MaxN = maxn;
        Base = fields.Length > 0 && fields[^1].Tag - fields[0].Tag + 1 == fields.Length ? fields[0].Tag : -1;
    }

    /// <summary>The field with <paramref name="tag"/>, or null: unknown tags are skipped for compatibility.</summary>
    internal SprotoField? FindTag(int tag)
    {
        if (Base >= 0)
        {
            var i = tag - Base;
            return i >= 0 && i < _fields.Length ? _fields[i] : null;
        }
        int lo = 0, hi = _fields.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            var t = _fields[mid].Tag;
            if (t == tag) return _fields[mid];
            if (tag > t) lo = mid + 1;
            else hi = mid;
        }
        return null;
    }

    /// <summary>The field named <paramref name="name"/>, or null.</summary>
    public SprotoField? FindField(string name)
    {
        foreach (var f in _fields)
            if (f.Name == name) return f;
        return null;
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
