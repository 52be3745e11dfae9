using System.Buffers;

namespace Skynet.ClusterWire;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over one array of the exact size a message's frames take
/// (<see cref="ClusterFrames.RequestSize"/>, <see cref="ClusterFrames.ResponseSize"/>), so the frames go to the socket
/// without a copy.
/// </summary>
internal sealed class FrameBuffer(int size) : IBufferWriter<byte>
{
    readonly byte[] _array = new byte[size];
    int _written;

    /// <summary>The frames; the array is full when the sizes were right.</summary>
    public byte[] Array => _written == _array.Length ? _array : throw new InvalidOperationException($"frames took {_written} of {_array.Length} bytes");

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0) => _array.AsMemory(_written);

    public Span<byte> GetSpan(int sizeHint = 0) => _array.AsSpan(_written);
}
