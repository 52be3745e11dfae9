using System.Text;
using Skynet.Net;

namespace Skynet.Debugging;

/// <summary>
/// Splits one console connection into lines, never buffering more than the longest allowed line: a client that sends
/// a megabyte without a newline gets an error, not the node's memory.
/// </summary>
sealed class ConsoleLineReader(SocketApi sockets, int id, int maxLineLength)
{
    byte[] _buffer = new byte[256];
    int _count;

    /// <summary>Set once any byte arrived (the console greets only clients that stay silent, as HTTP clients never do).</summary>
    public bool SawData { get; private set; }

    /// <summary>The next line without its <c>\n</c> (or <c>\r\n</c>); null when the peer closed.</summary>
    /// <exception cref="InvalidDataException">The line is longer than the limit.</exception>
    public async ValueTask<string?> ReadLine()
    {
        while (true)
        {
            var at = Array.IndexOf(_buffer, (byte)'\n', 0, _count);
            if (at >= 0)
            {
                var length = at > 0 && _buffer[at - 1] == '\r' ? at - 1 : at;
                var line = Encoding.UTF8.GetString(_buffer, 0, length);
                Consume(at + 1);
                return line;
            }
            if (_count > maxLineLength) throw new InvalidDataException($"line too long (over {maxLineLength} bytes)");
            if (!await Fill()) return null;
        }
    }

    /// <summary>Exactly <paramref name="size"/> bytes (an HTTP body); null when the peer closed first.</summary>
    public async ValueTask<byte[]?> ReadExact(int size)
    {
        while (_count < size)
            if (!await Fill()) return null;
        var data = _buffer[..size];
        Consume(size);
        return data;
    }

    async ValueTask<bool> Fill()
    {
        var read = await sockets.Read(id);
        if (read.Data.Length > 0)
        {
            SawData = true;
            if (_count + read.Data.Length > _buffer.Length)
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _count + read.Data.Length));
            read.Data.CopyTo(_buffer, _count);
            _count += read.Data.Length;
        }
        return !read.IsClosed || read.Data.Length > 0;
    }

    void Consume(int bytes)
    {
        Buffer.BlockCopy(_buffer, bytes, _buffer, 0, _count - bytes);
        _count -= bytes;
    }
}
