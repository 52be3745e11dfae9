namespace Skynet.Gate;

/// <summary>What <see cref="NetPackDecoder"/> made of the bytes it was fed.</summary>
public enum NetPackDecodeResult
{
    /// <summary>Every complete frame was delivered; any incomplete tail is buffered for the next feed.</summary>
    Ok = 0,

    /// <summary>
    /// A length header announced a frame longer than <see cref="NetPackDecoder.MaxFrameLength"/>. Frames before
    /// it were delivered; nothing after it was read. The stream cannot be resynchronised, so close the connection.
    /// The decoder stays in this state until <see cref="NetPackDecoder.Reset"/>.
    /// </summary>
    FrameTooLong = 1,
}
