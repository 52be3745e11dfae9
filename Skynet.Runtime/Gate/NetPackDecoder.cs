using System.Buffers;
using System.Buffers.Binary;

namespace Skynet.Gate;

/// <summary>
/// Push-style netpack decoder for one connection, the counterpart of skynet's <c>netpack.filter</c>: feed it
/// chunks exactly as a socket delivers them (split or coalesced at any byte) and it hands out every complete
/// frame in order. Frames that lie wholly inside a chunk are delivered without copying; only a frame that spans
/// chunks is assembled, in a buffer rented from <see cref="ArrayPool{T}.Shared"/> and returned once delivered.
/// Not thread-safe: one decoder per connection, fed by one reader at a time.
/// </summary>
public sealed class NetPackDecoder : IDisposable
{
    private enum Stage : byte
    {
        AwaitHeader,
        AwaitSecondHeaderByte,
        AwaitPayload,
    }

    private Stage stage;
    private byte headerHigh;
    private byte[]? pending;
    private int pendingLength;
    private int pendingFilled;

    /// <summary>Creates a decoder that accepts frames of up to <paramref name="maxFrameLength"/> payload bytes.</summary>
    /// <param name="maxFrameLength">
    /// The largest payload accepted, 0 to <see cref="NetPack.MaxPayloadLength"/>. A smaller limit bounds what one
    /// client can make the server buffer.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxFrameLength"/> is outside 0..65535.</exception>
    public NetPackDecoder(int maxFrameLength = NetPack.MaxPayloadLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxFrameLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxFrameLength, NetPack.MaxPayloadLength);
        MaxFrameLength = maxFrameLength;
    }

    /// <summary>The largest payload this decoder accepts.</summary>
    public int MaxFrameLength { get; }

    /// <summary>Bytes of the current incomplete frame held so far, its header bytes included (0 between frames).</summary>
    public int BufferedBytes => stage switch
    {
        Stage.AwaitSecondHeaderByte => 1,
        Stage.AwaitPayload => NetPack.HeaderLength + pendingFilled,
        _ => 0,
    };

    /// <summary>
    /// The payload length announced by the header that broke <see cref="MaxFrameLength"/>, or -1 while the decoder
    /// is healthy. Useful for the log line that explains why a connection was closed.
    /// </summary>
    public int RejectedFrameLength { get; private set; } = -1;

    /// <summary>Whether the decoder has seen an over-long frame and refuses further input until <see cref="Reset"/>.</summary>
    public bool IsFaulted => RejectedFrameLength >= 0;

    /// <summary>
    /// Decodes <paramref name="data"/>, calling <paramref name="onFrame"/> once per complete frame, in order.
    /// An exception thrown by the handler propagates and leaves the rest of the chunk unread; call
    /// <see cref="Reset"/> (or drop the connection) before feeding again.
    /// </summary>
    /// <typeparam name="TState">State handed to the handler.</typeparam>
    /// <param name="data">The next bytes of the stream; not retained after the call.</param>
    /// <param name="state">Passed to every <paramref name="onFrame"/> call.</param>
    /// <param name="onFrame">Receives each payload; the span is valid only during the call.</param>
    /// <returns><see cref="NetPackDecodeResult.Ok"/>, or <see cref="NetPackDecodeResult.FrameTooLong"/> (sticky).</returns>
    public NetPackDecodeResult Feed<TState>(ReadOnlySpan<byte> data, TState state, NetPackFrameHandler<TState> onFrame)
    {
        ArgumentNullException.ThrowIfNull(onFrame);
        if (IsFaulted)
        {
            return NetPackDecodeResult.FrameTooLong;
        }

        while (!data.IsEmpty)
        {
            switch (stage)
            {
                case Stage.AwaitHeader:
                    if (data.Length == 1)
                    {
                        // A lone first byte: skynet keeps it as uc->header with read = -1; so do we.
                        headerHigh = data[0];
                        stage = Stage.AwaitSecondHeaderByte;
                        return NetPackDecodeResult.Ok;
                    }

                    int length = BinaryPrimitives.ReadUInt16BigEndian(data);
                    if (length > MaxFrameLength)
                    {
                        return Fault(length);
                    }

                    data = data[NetPack.HeaderLength..];
                    if (data.Length >= length)
                    {
                        // The whole frame is in this chunk: deliver it in place, no copy.
                        ReadOnlySpan<byte> payload = data[..length];
                        data = data[length..];
                        onFrame(state, payload);
                    }
                    else
                    {
                        BeginPending(length);
                    }

                    break;

                case Stage.AwaitSecondHeaderByte:
                    int joined = (headerHigh << 8) | data[0];
                    data = data[1..];
                    if (joined > MaxFrameLength)
                    {
                        return Fault(joined);
                    }

                    stage = Stage.AwaitHeader;
                    if (joined == 0)
                    {
                        onFrame(state, ReadOnlySpan<byte>.Empty);
                    }
                    else
                    {
                        BeginPending(joined);
                    }

                    break;

                default:
                    int take = Math.Min(pendingLength - pendingFilled, data.Length);
                    data[..take].CopyTo(pending!.AsSpan(pendingFilled));
                    pendingFilled += take;
                    data = data[take..];
                    if (pendingFilled == pendingLength)
                    {
                        DeliverPending(state, onFrame);
                    }

                    break;
            }
        }

        return NetPackDecodeResult.Ok;
    }

    /// <summary>
    /// Decodes <paramref name="data"/> and adds a copy of each complete frame's payload to <paramref name="frames"/>.
    /// Convenient, but allocates one array per frame; prefer <see cref="Feed{TState}"/> on hot paths.
    /// </summary>
    /// <param name="data">The next bytes of the stream; not retained after the call.</param>
    /// <param name="frames">Receives one new array per frame; the caller owns them.</param>
    /// <returns><see cref="NetPackDecodeResult.Ok"/>, or <see cref="NetPackDecodeResult.FrameTooLong"/> (sticky).</returns>
    public NetPackDecodeResult Feed(ReadOnlySpan<byte> data, ICollection<byte[]> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        return Feed(data, frames, static (list, payload) => list.Add(payload.ToArray()));
    }

    /// <summary>Drops any incomplete frame and clears a fault, readying the decoder for a new stream.</summary>
    public void Reset()
    {
        ReturnPending();
        stage = Stage.AwaitHeader;
        RejectedFrameLength = -1;
    }

    /// <summary>Returns the pooled buffer of an incomplete frame, if any. The decoder can still be used after <see cref="Reset"/>.</summary>
    public void Dispose() => Reset();

    private void BeginPending(int length)
    {
        // length > 0 here: a zero-length frame is always complete once its header is.
        pending = ArrayPool<byte>.Shared.Rent(length);
        pendingLength = length;
        pendingFilled = 0;
        stage = Stage.AwaitPayload;
    }

    private void DeliverPending<TState>(TState state, NetPackFrameHandler<TState> onFrame)
    {
        byte[] buffer = pending!;
        int length = pendingLength;

        // Reset first, so a throwing handler cannot leave the decoder pointing at a returned buffer.
        pending = null;
        stage = Stage.AwaitHeader;
        try
        {
            onFrame(state, buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private NetPackDecodeResult Fault(int length)
    {
        ReturnPending();
        stage = Stage.AwaitHeader;
        RejectedFrameLength = length;
        return NetPackDecodeResult.FrameTooLong;
    }

    private void ReturnPending()
    {
        if (pending is not null)
        {
            ArrayPool<byte>.Shared.Return(pending);
            pending = null;
        }

        pendingLength = 0;
        pendingFilled = 0;
    }
}
