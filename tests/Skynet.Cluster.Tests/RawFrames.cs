using System.Buffers.Binary;
using System.Net.Sockets;

namespace Skynet.ClusterTests;

/// <summary>Reads what a node writes to a raw client socket, the way a skynet peer reads it (netpack framing).</summary>
internal static class RawFrames
{
    /// <summary>One frame: a 2-byte big-endian length, then that many bytes (the body is returned).</summary>
    public static async Task<byte[]> ReadFrame(Socket socket) =>
        await ReadExactly(socket, BinaryPrimitives.ReadUInt16BigEndian(await ReadExactly(socket, 2)));

    public static async Task<byte[]> ReadExactly(Socket socket, int count)
    {
        var buffer = new byte[count];
        for (var read = 0; read < count;)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None).AsTask().WaitAsync(Node.Patience);
            if (n == 0) throw new EndOfStreamException("the node closed the connection");
            read += n;
        }
        return buffer;
    }
}
