using System.Text;

namespace Skynet.Channels;

/// <summary>The socket a response reader reads from (skynet's <c>sock</c> in a response function). A read that
/// finds the connection closed throws <see cref="SocketChannelException"/>, which ends the connection.</summary>
public sealed class SocketChannelReader
{
    readonly Service _owner;
    readonly int _fd;
    readonly SocketChannelEndpoint _endpoint;

    internal SocketChannelReader(Service owner, int fd, SocketChannelEndpoint endpoint)
    {
        _owner = owner;
        _fd = fd;
        _endpoint = endpoint;
    }

    /// <summary>Reads exactly <paramref name="size"/> bytes (<c>sock:read(n)</c>).</summary>
    /// <param name="size">How many bytes.</param>
    public async ValueTask<byte[]> Read(int size)
    {
        var r = await _owner.Sockets.Read(_fd, size);
        if (r.IsClosed) throw Closed();
        return r.Data;
    }

    /// <summary>Reads up to <paramref name="separator"/> and returns the line without it (<c>sock:readline(sep)</c>).</summary>
    /// <param name="separator">The line end.</param>
    public async ValueTask<string> ReadLine(string separator = "\n")
    {
        var r = await _owner.Sockets.ReadLine(_fd, separator);
        if (r.IsClosed) throw Closed();
        return Encoding.UTF8.GetString(r.Data);
    }

    SocketChannelException Closed() => new($"socket channel to {_endpoint}: the connection closed");
}
