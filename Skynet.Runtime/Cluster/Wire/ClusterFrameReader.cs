using System.Buffers.Binary;

namespace Skynet.ClusterWire;

/// <summary>
/// Cuts a cluster connection's byte stream into frame bodies (u16 big-endian length + body). It keeps at most one
/// unfinished frame (64 KiB) between chunks, so a peer cannot make it hold more.
/// </summary>
public sealed class ClusterFrameReader
{
    byte[] _pending = [];
    int _pendingLength;

    /// <summary>Bytes of an unfinished frame kept from earlier chunks.</summary>
    public int BufferedBytes => _pendingLength;

    /// <summary>Feeds a chunk and calls <paramref name="onFrame"/> with each complete frame body, in order.</summary>
    /// <remarks>A body handed to <paramref name="onFrame"/> is valid only during the call.</remarks>
    public void Feed<TState>(ReadOnlySpan<byte> chunk, TState state, FrameHandler<TState> onFrame)
    {
        ArgumentNullException.ThrowIfNull(onFrame);
        if (_pendingLength > 0)
        {
            // Complete the frame started in an earlier chunk: first its header, then its body.
            var need = _pendingLength < 2 ? 2 - _pendingLength : 2 + BinaryPrimitives.ReadUInt16BigEndian(_pending) - _pendingLength;
            var take = Math.Min(need, chunk.Length);
            Append(chunk[..take]);
            chunk = chunk[take..];
            if (_pendingLength == 2 && chunk.Length > 0)
            {
                need = BinaryPrimitives.ReadUInt16BigEndian(_pending);
                take = Math.Min(need, chunk.Length);
                Append(chunk[..take]);
                chunk = chunk[take..];
            }
            if (_pendingLength < 2 || _pendingLength < 2 + BinaryPrimitives.ReadUInt16BigEndian(_pending)) return;
            var length = _pendingLength;
            _pendingLength = 0;
            onFrame(state, _pending.AsSpan(2, length - 2));
        }
        while (chunk.Length >= 2)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(chunk);
            if (chunk.Length < 2 + length) break;
            onFrame(state, chunk.Slice(2, length));
            chunk = chunk[(2 + length)..];
        }
        if (chunk.Length > 0) Append(chunk);
    }

    void Append(ReadOnlySpan<byte> bytes)
    {
        if (_pending.Length < _pendingLength + bytes.Length)
            Array.Resize(ref _pending, Math.Min(2 + ushort.MaxValue, Math.Max(_pendingLength + bytes.Length, _pending.Length * 2)));
        bytes.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength += bytes.Length;
    }

    /// <summary>Receives one frame body.</summary>
    public delegate void FrameHandler<in TState>(TState state, ReadOnlySpan<byte> body);
}
