namespace Skynet.Codecs;

/// <summary>Type tags of skynet's lua-seri format (<c>lualib-src/lua-seri.c</c>). A value starts with one byte:
/// the low 3 bits are the type, the high 5 bits a "cookie" (integer width, short string length, array size).</summary>
internal static class SeriType
{
    internal const int Nil = 0;
    internal const int Boolean = 1;
    internal const int Number = 2;
    internal const int UserData = 3;
    internal const int ShortString = 4;
    internal const int LongString = 5;
    internal const int Table = 6;

    // Number cookies.
    internal const int Zero = 0;
    internal const int Byte = 1;
    internal const int Word = 2;
    internal const int DWord = 4;
    internal const int QWord = 6;
    internal const int Real = 8;

    // Short strings hold up to MaxCookie-1 bytes; arrays of MaxCookie-1 or more carry their size as an integer.
    internal const int MaxCookie = 32;

    internal static byte Combine(int type, int cookie) => (byte)(type | cookie << 3);
}
