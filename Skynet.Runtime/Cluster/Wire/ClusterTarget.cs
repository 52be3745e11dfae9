using System.Globalization;
using System.Text;

namespace Skynet.ClusterWire;

/// <summary>
/// The address part of a cluster request: a numeric service handle on the remote node, or a name
/// (<c>@name</c> for names registered with <c>Cluster.Register</c>, <c>.name</c> for the remote node's local
/// names). Address 0 is the name query that <c>Cluster.Query</c> sends.
/// </summary>
public readonly record struct ClusterTarget
{
    ClusterTarget(uint handle, string? name)
    {
        Handle = handle;
        Name = name;
    }

    /// <summary>The numeric handle; 0 for a name.</summary>
    public uint Handle { get; }

    /// <summary>The name (with its <c>@</c> or <c>.</c>), or null for a numeric handle.</summary>
    public string? Name { get; }

    /// <summary>True when the target is a name.</summary>
    public bool IsName => Name is not null;

    /// <summary>A numeric service handle.</summary>
    public static ClusterTarget FromHandle(uint handle) => new(handle, null);

    /// <summary>A name as skynet sends it: 1 to 255 UTF-8 bytes.</summary>
    /// <exception cref="ArgumentException">The name is empty or longer than 255 bytes (skynet refuses it too).</exception>
    public static ClusterTarget FromName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var length = Encoding.UTF8.GetByteCount(name);
        if (length is < 1 or > 255)
            throw new ArgumentException($"A cluster name is 1 to 255 bytes, as in skynet; '{name}' has {length}.", nameof(name));
        return new(0, name);
    }

    /// <summary>
    /// Reads an address as users write it: <c>@name</c>, <c>.name</c>, a number, <c>:0000000a</c>, or an
    /// <see cref="Address"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Anything else.</exception>
    public static ClusterTarget From(object address) => address switch
    {
        ClusterTarget target => target,
        Address handle => FromHandle(handle.Value),
        uint handle => FromHandle(handle),
        int handle when handle >= 0 => FromHandle((uint)handle),
        long handle when handle is >= 0 and <= uint.MaxValue => FromHandle((uint)handle),
        string text when text.StartsWith(':') && Address.TryParse(text, out var parsed) => FromHandle(parsed.Value),
        string text when text.Length > 0 && char.IsAsciiDigit(text[0]) && uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) => FromHandle(number),
        string text => FromName(text),
        _ => throw new ArgumentException($"{address} ({address?.GetType().Name}) is not a cluster address; use a handle, '@name' or '.name'.", nameof(address)),
    };

    /// <inheritdoc/>
    public override string ToString() => Name ?? new Address(Handle).ToString();
}
