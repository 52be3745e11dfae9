namespace Skynet.Codecs;

/// <summary>How <see cref="SkynetPack.Unpack"/> represents Lua strings, which are byte strings.</summary>
public enum LuaStringMode
{
    /// <summary>A <see cref="string"/> when the bytes are valid UTF-8, otherwise a <see cref="byte"/>[], so no
    /// data is ever lost or replaced.</summary>
    Auto = 0,

    /// <summary>Always a <see cref="byte"/>[], for binary protocols.</summary>
    Bytes = 1,
}
