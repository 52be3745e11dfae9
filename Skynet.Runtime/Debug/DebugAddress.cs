namespace Skynet.Debugging;

/// <summary>skynet's <c>adjust_address</c>: <c>:0000000a</c>, <c>.name</c>, or bare hex on this node's harbor.</summary>
static class DebugAddress
{
    /// <exception cref="FormatException">Not an address or a known name.</exception>
    public static Address Parse(string? text, SkynetNode node)
    {
        if (string.IsNullOrEmpty(text)) throw new FormatException("Need an address");
        if (text[0] == '.') return node.LocalName(text) ?? throw new FormatException($"Not a valid name: {text}");
        if (text[0] == ':')
            return Address.TryParse(text, out var address) ? address : throw new FormatException($"Need an address: {text}");
        if (text.Length <= 6 && uint.TryParse(text, System.Globalization.NumberStyles.HexNumber, null, out var local))
            return Address.Create(node.Harbor, local);
        throw new FormatException($"Need an address: {text}");
    }
}
