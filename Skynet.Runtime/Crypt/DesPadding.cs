namespace Skynet;

/// <summary>
/// How <see cref="Crypt.DesEncode(ReadOnlySpan{byte}, ReadOnlySpan{byte}, DesPadding)"/> fills the last block.
/// The numeric values are the ones in skynet's <c>crypt.padding</c> table.
/// </summary>
public enum DesPadding
{
    /// <summary>ISO/IEC 7816-4: one <c>0x80</c> byte, then zeros to the block end (skynet's default, <c>crypt.padding.iso7816_4</c>).</summary>
    Iso7816_4 = 0,

    /// <summary>PKCS#7: <c>n</c> bytes each holding the value <c>n</c> (<c>crypt.padding.pkcs7</c>).</summary>
    Pkcs7 = 1,
}
