using System.Globalization;

namespace Skynet;

/// <summary>
/// A service address: skynet's 32-bit handle. The high 8 bits are the node (harbor) id and the low
/// 24 bits the local id. It prints as skynet prints it, <c>:0100000a</c>.
/// </summary>
public readonly record struct Address(uint Value) : ISpanFormattable
{
    /// <summary>The bits of a handle that hold the local id.</summary>
    public const uint LocalMask = 0x00FF_FFFF;

    /// <summary>The bit position of the harbor (node) id.</summary>
    public const int HarborShift = 24;

    /// <summary>No service: skynet's handle 0, used as the source of messages sent from outside any service.</summary>
    public static Address None => default;

    /// <summary>The node (harbor) id held in the high 8 bits.</summary>
    public int Harbor => (int)(Value >> HarborShift);

    /// <summary>The local part of the handle.</summary>
    public uint LocalId => Value & LocalMask;

    /// <summary>True for <see cref="None"/>.</summary>
    public bool IsNone => Value == 0;

    /// <summary>Builds an address from a harbor id and a local id.</summary>
    public static Address Create(int harbor, uint localId)
    {
        if ((uint)harbor > 255) throw new ArgumentOutOfRangeException(nameof(harbor), harbor, "A harbor id is 0..255.");
        if (localId > LocalMask) throw new ArgumentOutOfRangeException(nameof(localId), localId, "A local id fits in 24 bits.");
        return new Address(((uint)harbor << HarborShift) | localId);
    }

    /// <summary>
    /// Parses skynet's text forms: <c>:0000000a</c> (hex with a colon, as printed) or a plain hex number <c>a</c>.
    /// Names (<c>.name</c>) are not addresses; resolve them with <see cref="SkynetNode.LocalName"/>.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Address address)
    {
        if (text.Length > 0 && text[0] == ':') text = text[1..];
        if (text.Length is > 0 and <= 8 && uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            address = new Address(value);
            return true;
        }
        address = default;
        return false;
    }

    /// <summary>Parses an address; throws <see cref="FormatException"/> for anything else.</summary>
    public static Address Parse(string text) =>
        TryParse(text, out var address) ? address : throw new FormatException($"'{text}' is not a service address; expected ':0000000a' or a hex handle.");

    /// <summary>Formats as <c>:0000000a</c>.</summary>
    public override string ToString() => string.Create(9, Value, static (span, value) =>
    {
        span[0] = ':';
        value.TryFormat(span[1..], out _, "x8", CultureInfo.InvariantCulture);
    });

    /// <inheritdoc/>
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <inheritdoc/>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        if (destination.Length < 9) { charsWritten = 0; return false; }
        destination[0] = ':';
        Value.TryFormat(destination[1..], out _, "x8", CultureInfo.InvariantCulture);
        charsWritten = 9;
        return true;
    }
}
