using Skynet.Codecs;

namespace Skynet;

/// <summary>
/// How a publish's payload crosses to another node. It is encoded once per publish, and the same bytes go to every
/// subscribed node; each node decodes it once and hands that one object to all its subscribers.
/// </summary>
public interface IMulticastCodec
{
    /// <summary>Encodes a payload.</summary>
    /// <exception cref="ArgumentException">The payload has a type the codec cannot carry.</exception>
    byte[] Encode(object? payload);

    /// <summary>Decodes bytes from <see cref="Encode"/>.</summary>
    object? Decode(ReadOnlySpan<byte> bytes);
}

/// <summary>
/// The default codec: <c>skynet.pack</c> of the payload (nil, booleans, integers, doubles, strings, byte arrays,
/// <see cref="LuaTable"/>). Strings arrive as <see cref="string"/> when they are UTF-8, else as <c>byte[]</c>.
/// </summary>
public sealed class SkynetPackMulticastCodec : IMulticastCodec
{
    /// <summary>The shared instance.</summary>
    public static readonly SkynetPackMulticastCodec Instance = new();

    /// <inheritdoc/>
    public byte[] Encode(object? payload) => SkynetPack.Pack(payload);

    /// <inheritdoc/>
    public object? Decode(ReadOnlySpan<byte> bytes)
    {
        var values = SkynetPack.Unpack(bytes);
        return values.Length == 0 ? null : values[0];
    }
}
