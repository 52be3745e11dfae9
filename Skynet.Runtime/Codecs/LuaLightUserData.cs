namespace Skynet.Codecs;

/// <summary>A Lua light userdata (a raw pointer, lua-seri type 3). It means nothing outside the process that made
/// it; it exists so that such values survive a decode and re-encode unchanged.</summary>
/// <param name="Pointer">The pointer's 64 bits, as skynet wrote them.</param>
public readonly record struct LuaLightUserData(ulong Pointer);
