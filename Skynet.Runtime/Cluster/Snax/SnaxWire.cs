using System.Reflection;
using Skynet.Codecs;

namespace Skynet;

/// <summary>How a snax call travels between nodes.</summary>
public enum SnaxWireFormat
{
    /// <summary>C# to C#: the method id and arguments in MemoryPack's layout (both ends are this runtime).</summary>
    MemoryPack,
    /// <summary>As skynet's Lua snax does over a cluster: <c>skynet.pack(id, args...)</c>, ids from <c>snax.interface</c> order (<c>[Id(n)]</c>).</summary>
    Lua,
}

/// <summary>
/// The one place the cluster module touches the snax byte form and the shape of generated snax messages, so it can be
/// re-pointed in one file when either changes.
/// </summary>
/// <remarks>
/// A MemoryPack request travels as <c>skynet.pack(blob)</c> (a single Lua string) and its result as
/// <c>skynet.pack(blob)</c>; a Lua snax request always starts with an integer id, so the two never collide.
/// </remarks>
internal static class SnaxWire
{
    public static byte[] PackRequest<T>(SnaxMessage message, SnaxWireFormat format) where T : Service, ISnaxService<T> =>
        format == SnaxWireFormat.MemoryPack
            ? SkynetPack.Pack(SnaxCodec.PackRequest<T>(message))
            : SkynetPack.Pack([(long)message.MethodId, .. Arguments(message)]);

    /// <summary>True when a "lua" argument list is a MemoryPack snax request.</summary>
    public static bool IsMemoryPackRequest(object?[] args, out byte[] blob)
    {
        blob = args is [byte[] bytes] ? bytes : args is [string text] ? System.Text.Encoding.UTF8.GetBytes(text) : null!;
        return blob is not null;
    }

    public static SnaxMessage UnpackRequest<T>(byte[] blob) where T : Service, ISnaxService<T> => SnaxCodec.UnpackRequest<T>(blob);

    public static byte[] PackResult<T>(int methodId, object? result) where T : Service, ISnaxService<T> => SnaxCodec.PackResult<T>(methodId, result);

    /// <summary>Reads a reply: MemoryPack's result blob, or Lua values converted to the method's result type.</summary>
    public static object? UnpackResult<T>(int methodId, byte[] reply, SnaxWireFormat format) where T : Service, ISnaxService<T>
    {
        if (format == SnaxWireFormat.MemoryPack)
        {
            var values = SkynetPack.Unpack(reply, LuaStringMode.Bytes);
            if (values is not [byte[] blob]) throw new PackException("a MemoryPack snax reply is one Lua string");
            return SnaxCodec.UnpackResult<T>(methodId, blob);
        }
        var lua = LuaValues.UnpackReply(reply);
        var method = T.SnaxSlots.Methods[T.SnaxSlots.IndexOf(methodId)];
        return ResultType(method) is { } type ? LuaConvert.To(type, lua) : null;
    }

    /// <summary>The value type a slot's reply carries (the T of T, Task&lt;T&gt; or ValueTask&lt;T&gt;), or null for none.</summary>
    public static Type? ResultType(SnaxMethodInfo method)
    {
        var type = method.SlotType.GetMethod("Invoke")!.ReturnType;
        if (type == typeof(void) || type == typeof(Task) || type == typeof(ValueTask)) return null;
        if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>)))
            return type.GetGenericArguments()[0];
        return type;
    }

    // Generated messages keep their arguments in public fields A0, A1, ... in parameter order.
    static object?[] Arguments(SnaxMessage message)
    {
        var fields = message.GetType().GetFields(BindingFlags.Public | BindingFlags.Instance);
        var values = new object?[fields.Length];
        foreach (var field in fields)
        {
            if (field.Name.Length > 1 && field.Name[0] == 'A' && int.TryParse(field.Name.AsSpan(1), out var index) && index < values.Length)
                values[index] = field.GetValue(message);
        }
        return values;
    }
}
