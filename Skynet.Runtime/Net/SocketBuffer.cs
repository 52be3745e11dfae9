namespace Skynet.Net;

/// <summary>
/// Bytes received on one socket and not yet read by the service (skynet's <c>socket_buffer</c>). One contiguous
/// array, compacted or grown as needed and dropped when emptied, so an idle socket holds nothing.
/// </summary>
internal sealed class SocketBuffer
{
    byte[]? _data;
    int _start, _end;

    public int Size => _end - _start;

    public void Append(byte[] chunk)
    {
        if (chunk.Length == 0) return;
        if (_data is null)
        {
            _data = chunk.Length >= 256 ? chunk : new byte[256];
            if (_data == chunk)
            {
                _start = 0;
                _end = chunk.Length;
                return;
            }
        }
        if (_data.Length - _end < chunk.Length)
        {
            var size = Size;
            var grown = size + chunk.Length <= _data.Length ? _data : new byte[Math.Max(_data.Length * 2, size + chunk.Length)];
            Buffer.BlockCopy(_data, _start, grown, 0, size);
            _data = grown;
            _start = 0;
            _end = size;
        }
        Buffer.BlockCopy(chunk, 0, _data, _end, chunk.Length);
        _end += chunk.Length;
    }

    /// <summary>Takes exactly <paramref name="count"/> bytes (the caller checked <see cref="Size"/>).</summary>
    public byte[] Pop(int count)
    {
        var result = _data.AsSpan(_start, count).ToArray();
        _start += count;
        if (_start == _end) Clear();
        return result;
    }

    public byte[] PopAll() => Size == 0 ? [] : Pop(Size);

    /// <summary>The offset of <paramref name="separator"/> from the start of the unread bytes, or -1.</summary>
    public int IndexOf(ReadOnlySpan<byte> separator) => Size == 0 ? -1 : _data.AsSpan(_start, Size).IndexOf(separator);

    public void Skip(int count)
    {
        _start += count;
        if (_start == _end) Clear();
    }

    public void Clear()
    {
        _data = null;
        _start = _end = 0;
    }
}
