using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Skynet.Codecs;

namespace Skynet.ClusterTests;

/// <summary>
/// "lua" arguments leave the node as <c>skynet.pack</c> bytes, whichever way they are packed (scalars and strings go
/// straight into an array of their computed size): read off the wire by a bare socket and compared with
/// <see cref="SkynetPack.Pack(object?[])"/>, the codec proven against <c>../shared/vectors/seri.tsv</c>.
/// </summary>
public sealed class PackedArgumentsTests
{
    public static TheoryData<string, object?[]> Lists() => new()
    {
        { "integers at every width boundary", [0L, 1L, 255L, 256L, 65535L, 65536L, -1L, int.MinValue, (long)int.MaxValue + 1, long.MinValue, 7, (short)-3, (byte)200, 70000u] },
        { "strings at every header boundary", ["", new string('a', 31), new string('b', 32), new string('c', 65535), "héllo wörld ✓", new byte[] { 0xff, 0 }] },
        { "nil, booleans, reals", [null, true, false, 1.5, 2.5f, null] },
        { "a multi-part string", [new string('x', 100_000), 1L] },
        { "a multi-part byte[]", [new byte[70_000]] },
        { "a table goes the pooled way", ["k", new LuaTable { Array = { 1L, "two" } }] },
    };

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task What_leaves_the_node_is_exactly_skynet_pack_of_the_arguments(string what, object?[] args)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        await using var node = new Node("client");
        await Node.Within(node.Cluster.Reload(ClusterCallTests.Map(("fake", $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}"))));
        node.Cluster.Send("fake", new Address(9), args);
        using var socket = await listener.AcceptSocketAsync().WaitAsync(Node.Patience);
        var sent = await ReadPush(socket);
        Assert.True(SkynetPack.Pack(args).AsSpan().SequenceEqual(sent), what);
    }

    // A push: one frame (00 addr session=0 payload), or a header (41 addr session total) and parts (02/03 session data).
    static async Task<byte[]> ReadPush(Socket socket)
    {
        var body = await RawFrames.ReadFrame(socket);
        if (body[0] == 0) return body[9..];
        Assert.Equal(0x41, body[0]);
        var total = BinaryPrimitives.ReadInt32LittleEndian(body.AsSpan(9));
        var payload = new List<byte>(total);
        while (true)
        {
            var part = await RawFrames.ReadFrame(socket);
            payload.AddRange(part[5..]);
            if (part[0] == 3) break;
        }
        Assert.Equal(total, payload.Count);
        return [.. payload];
    }
}
