using System.Net.Sockets;

namespace Skynet.Login;

/// <summary>A client-side TCP connection with a read buffer, for line and frame protocols (not a service).</summary>
internal sealed class LineConnection : IAsyncDisposable
{
    readonly Socket _socket;
    byte[] _buffer = new byte[4096];
    int _start;
    int _end;

    LineConnection(Socket socket) => _socket = socket;

    public static async Task<LineConnection> Connect(string host, int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new LineConnection(socket);
    }

    public async Task Send(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            var n = await _socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            data = data[n..];
        }
    }

    /// <summary>Reads a line without its <c>\n</c>; null when the peer closed first.</summary>
    public async Task<byte[]?> ReadLine(int maxLength, CancellationToken cancellationToken)
    {
        while (true)
        {
            var at = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (at >= 0)
            {
                var line = _buffer[_start..at];
                _start = at + 1;
                return line;
            }
            if (_end - _start > maxLength) throw new IOException($"The server sent a line longer than {maxLength} bytes.");
            if (!await Fill(cancellationToken).ConfigureAwait(false)) return null;
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes; null when the peer closed first.</summary>
    public async Task<byte[]?> ReadExactly(int count, CancellationToken cancellationToken)
    {
        while (_end - _start < count)
            if (!await Fill(cancellationToken).ConfigureAwait(false)) return null;
        var data = _buffer[_start..(_start + count)];
        _start += count;
        return data;
    }

    async Task<bool> Fill(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        int n;
        try
        {
            n = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            return false;
        }
        _end += n;
        return n > 0;
    }

    public ValueTask DisposeAsync()
    {
        try { _socket.Shutdown(SocketShutdown.Both); }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        _socket.Dispose();
        return default;
    }
}
