using Skynet.Codecs;

namespace Skynet;

/// <summary>How a snax call travels between nodes.</summary>
public enum SnaxWireFormat
{
    /// <summary>C# to C#: the method id and arguments in MemoryPack's layout (both ends are this runtime).</summary>
    MemoryPack,
    /// <summary>As skynet's Lua snax does over a cluster: <c>skynet.pack(id, args...)</c>, ids from <c>snax.interface</c> order (see <see cref="ISnaxLuaService{TSelf}"/>).</summary>
    Lua,
}

/// <summary>
/// The one place the cluster module touches the snax byte forms, so it can be re-pointed in one file when either
/// changes: MemoryPack through <see cref="SnaxCodec"/>, the Lua form through the generated
/// <see cref="ISnaxLuaService{TSelf}"/> conversions.
/// </summary>
/// <remarks>
/// A MemoryPack request travels as <c>skynet.pack(blob)</c> (a single Lua string) and its result as
/// <c>skynet.pack(blob)</c>; a Lua snax request always starts with an integer id, so the two never collide.
/// </remarks>
internal static class SnaxWire
{
    /// <exception cref="ArgumentException">The Lua form was asked for and an argument has none, or the method has no Lua id.</exception>
    public static byte[] PackRequest<T>(SnaxMessage message, SnaxWireFormat format) where T : Service, ISnaxService<T>, ISnaxLuaService<T> =>
        format == SnaxWireFormat.MemoryPack
            ? SkynetPack.Pack(SnaxCodec.PackRequest<T>(message))
            : SkynetPack.Pack(T.RequestToLua(message));

    /// <summary>True when a "lua" argument list is a MemoryPack snax request.</summary>
    public static bool IsMemoryPackRequest(object?[] args, out byte[] blob)
    {
        blob = args is [byte[] bytes] ? bytes : args is [string text] ? System.Text.Encoding.UTF8.GetBytes(text) : null!;
        return blob is not null;
    }

    public static SnaxMessage UnpackRequest<T>(byte[] blob) where T : Service, ISnaxService<T> => SnaxCodec.UnpackRequest<T>(blob);

    public static byte[] PackResult<T>(int methodId, object? result) where T : Service, ISnaxService<T> => SnaxCodec.PackResult<T>(methodId, result);

    /// <summary>Reads a reply: MemoryPack's result blob, or Lua values converted to the method's result type.</summary>
    /// <exception cref="PackException">The reply is not what the format promises.</exception>
    /// <exception cref="ArgumentException">A Lua reply cannot become the method's result type.</exception>
    public static object? UnpackResult<T>(int methodId, byte[] reply, SnaxWireFormat format) where T : Service, ISnaxService<T>, ISnaxLuaService<T>
    {
        if (format == SnaxWireFormat.MemoryPack)
        {
            var values = SkynetPack.Unpack(reply, LuaStringMode.Bytes);
            if (values is not [byte[] blob]) throw new PackException("a MemoryPack snax reply is one Lua string");
            return SnaxCodec.UnpackResult<T>(methodId, blob);
        }
        return T.ResultFromLua(methodId, LuaValues.UnpackReply(reply));
    }
}
