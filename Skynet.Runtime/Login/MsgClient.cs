using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Skynet.Login;

/// <summary>
/// The client side of <see cref="MsgServer"/> (and of skynet's <c>snax.msgserver</c>): the handshake frame, requests
/// and responses exactly as skynet's <c>examples/login/client.lua</c> sends and reads them. One connection; for
/// bots, tools and tests. Requests may be pipelined; responses come in the order the server finishes them.
/// </summary>
public sealed class MsgClient : IAsyncDisposable
{
    readonly LineConnection _connection;

    MsgClient(LineConnection connection) => _connection = connection;

    /// <summary>Connects to a msgserver.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">The connection failed.</exception>
    public static async Task<MsgClient> ConnectAsync(string host, int port, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        return new MsgClient(await LineConnection.Connect(host, port, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The handshake text <c>base64(uid)@base64(server)#base64(subid):index</c> that the hmac covers.</summary>
    public static string HandshakeText(string user, string server, string subid, long index) =>
        MsgServer.Username(user, subid, server) + ":" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>The handshake frame's payload: <c>text:base64(hmac)</c> (without the netpack header).</summary>
    public static byte[] HandshakePayload(string user, string server, string subid, byte[] secret, long index, LoginProfile profile = LoginProfile.Compatible)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var text = Encoding.ASCII.GetBytes(HandshakeText(user, server, subid, index));
        var hmac = LoginCrypto.For(profile).HandshakeHmac(secret, text);
        return [.. text, (byte)':', .. Encoding.ASCII.GetBytes(Crypt.Base64Encode(hmac))];
    }

    /// <summary>
    /// Sends the handshake for connection number <paramref name="index"/> (1 for the first, higher on each
    /// reconnect) and returns the server's answer: <c>200 OK</c>, or a failure after which the server closes.
    /// </summary>
    /// <exception cref="IOException">The server closed the connection without an answer.</exception>
    public async Task<string> HandshakeAsync(string user, string server, string subid, byte[] secret, long index, LoginProfile profile = LoginProfile.Compatible, CancellationToken cancellationToken = default)
    {
        await SendFrameAsync(HandshakePayload(user, server, subid, secret, index, profile), cancellationToken).ConfigureAwait(false);
        return Encoding.Latin1.GetString(await ReadFrameAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Sends one request: <c>u16 BE (size + 4), content, u32 BE session</c> (client.lua's <c>send_request</c>).</summary>
    public Task SendRequestAsync(ReadOnlyMemory<byte> content, uint session, CancellationToken cancellationToken = default)
    {
        if (content.Length > Gate.NetPack.MaxPayloadLength - 4)
            throw new ArgumentException($"A request carries at most {Gate.NetPack.MaxPayloadLength - 4} bytes.", nameof(content));
        var frame = new byte[2 + content.Length + 4];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)(content.Length + 4));
        content.Span.CopyTo(frame.AsSpan(2));
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(2 + content.Length), session);
        return _connection.Send(frame, cancellationToken);
    }

    /// <summary>Reads the next response (client.lua's <c>recv_response(readpackage())</c>).</summary>
    /// <exception cref="IOException">The server closed the connection, or sent a frame too short to be a response.</exception>
    public async Task<MsgResponse> ReadResponseAsync(CancellationToken cancellationToken = default)
    {
        var frame = await ReadFrameAsync(cancellationToken).ConfigureAwait(false);
        if (frame.Length < 5) throw new IOException($"A response has at least 5 bytes; the server sent {frame.Length}.");
        return new MsgResponse(frame[^5] != 0, frame[..^5], BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(frame.Length - 4)));
    }

    /// <summary>Sends a request and reads one response (use only without other requests in flight).</summary>
    public async Task<MsgResponse> RequestAsync(ReadOnlyMemory<byte> content, uint session, CancellationToken cancellationToken = default)
    {
        await SendRequestAsync(content, session, cancellationToken).ConfigureAwait(false);
        return await ReadResponseAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends one raw netpack frame (header added here).</summary>
    public Task SendFrameAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) =>
        _connection.Send(Gate.NetPack.Pack(payload.Span), cancellationToken);

    /// <summary>Reads one raw netpack frame's payload.</summary>
    /// <exception cref="IOException">The server closed the connection first.</exception>
    public async Task<byte[]> ReadFrameAsync(CancellationToken cancellationToken = default)
    {
        var header = await _connection.ReadExactly(2, cancellationToken).ConfigureAwait(false) ?? throw Closed();
        var size = BinaryPrimitives.ReadUInt16BigEndian(header);
        return size == 0 ? [] : await _connection.ReadExactly(size, cancellationToken).ConfigureAwait(false) ?? throw Closed();
    }

    /// <summary>Closes the connection.</summary>
    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    static IOException Closed() => new("The msgserver closed the connection.");
}
