using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Skynet.Codecs;

namespace Skynet.ClusterTests;

public enum Shade : byte { Dark = 1, Light = 2 }

/// <summary>
/// A snax service without <c>[Id]</c> pins: its Lua ids are skynet's <c>snax.interface</c> numbering of a Lua file
/// with the same functions in the same order (ping 5, add 6, note 7, notes 8, sum 9, fail 10).
/// </summary>
[Service]
public sealed partial class Ordered : Service
{
    readonly List<string> _notes = [];

    void OnInit() => SnaxCluster.EnableCluster(this);

    void OnExit(string reason) => Log("ordered exit: " + reason);

    [Response] public string Ping(string hello) => hello;

    [Response] public int Add(int a, int b) => a + b;

    [Accept] public void Note(string text) => _notes.Add(text);

    [Response] public List<string> Notes() => _notes;

    [Response] public Dictionary<string, long> Sum(long[] values, Shade? shade = Shade.Dark) =>
        new() { ["sum"] = values.Sum(), ["shade"] = (long?)shade ?? -1 };

    [Response] public string Fail() => throw new InvalidOperationException("throw an error");
}

/// <summary>
/// skynet's Lua snax form over the cluster against a C# snax service: the ids a Lua client sends (<c>snax.kill</c> 2,
/// <c>snax.hotfix</c> 3, <c>snax.profile_info</c> 4, methods from 5), and typed conversion of its values. Requests are
/// <c>cluster.call(node, addr, id, ...)</c>, the bytes skynet's clusterproxy sends for <c>obj.req.x(...)</c>.
/// </summary>
public sealed class SnaxLuaFormTests : IAsyncLifetime
{
    readonly Node _server = new("db");
    readonly Node _client = new("client");
    Address _ordered;
    int _port;

    public async Task InitializeAsync()
    {
        _ordered = (await Node.Within(Snax.NewService<Ordered>(_server.Skynet))).Target;
        await Node.Within(_server.Cluster.PublishSnax("ordered", _ordered));
        var end = await Node.Within(_server.Cluster.Open(0, "127.0.0.1"));
        _port = end.Port;
        await Node.Within(_client.Cluster.Reload(ClusterCallTests.Map(("db", end.ToString()))));
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    Task<object?> Lua(params object?[] args) => Node.Within(_client.Cluster.Call("db", _ordered, args));

    [Fact]
    public async Task Methods_without_pins_are_numbered_from_5_in_declaration_order()
    {
        Assert.Equal("hello", await Lua(5L, "hello"));
        Assert.Equal(5L, await Lua(6L, 2L, 3L));
        _client.Cluster.Send("db", _ordered, 7L, "first");
        var notes = Assert.IsType<LuaTable>(await Lua(8L));
        Assert.Equal(["first"], notes.Array);
        var sum = Assert.IsType<LuaTable>(await Lua(9L, new LuaTable { Array = { 1L, 2L, 3L } }, 2L));
        Assert.Equal(6L, sum.Hash["sum"]);
        Assert.Equal(2L, sum.Hash["shade"]);
        // An argument left out takes the C# default; nil is nil.
        Assert.Equal(1L, ((LuaTable)(await Lua(9L, new LuaTable()))!).Hash["shade"]);
        Assert.Equal(-1L, ((LuaTable)(await Lua(9L, new LuaTable(), null))!).Hash["shade"]);
        var ex = await Assert.ThrowsAsync<CallFailedException>(() => Lua(10L));
        Assert.Contains("throw an error", ex.Reason);
    }

    [Fact]
    public async Task Kill_is_id_2_and_runs_OnExit_with_the_Lua_arguments()
    {
        var gone = _server.Skynet.WhenGone(_ordered);
        Assert.Null(await Lua(SnaxLuaIds.Exit, "bye"));
        await Node.Within(gone);
        await _server.Logs.WaitFor("ordered exit: bye");
        await Assert.ThrowsAsync<CallFailedException>(() => Lua(5L, "late"));
    }

    [Fact]
    public async Task Snax_Kill_through_a_Lua_form_proxy_sends_id_2_and_completes()
    {
        var proxy = await Node.Within(_client.Cluster.Snax<Ordered>("db", "ordered", SnaxWireFormat.Lua));
        Assert.Equal("hi", await Node.Within(proxy.Req.Ping("hi")));
        var gone = _server.Skynet.WhenGone(_ordered);
        await Node.Within(Snax.Kill(proxy, "from C#"));
        await Node.Within(gone);
        await _server.Logs.WaitFor("ordered exit: from C#");
        // The stand-in went with it; asking again gives a fresh one, whose call reaches the node and fails there.
        var again = await Node.Within(_client.Cluster.Snax<Ordered>("db", "ordered", SnaxWireFormat.Lua));
        Assert.NotEqual(proxy.Target, again.Target);
        var ex = await Assert.ThrowsAsync<CallFailedException>(() => Node.Within(again.Req.Ping("late")));
        Assert.Equal(CallFailure.Refused, ex.Failure);
    }

    [Fact]
    public async Task Init_over_the_cluster_is_refused_as_snaxd_refuses_a_second_init()
    {
        var ex = await Assert.ThrowsAsync<CallFailedException>(() => Lua(SnaxLuaIds.Init));
        Assert.Contains("already initialised", ex.Reason);
        Assert.Equal("still", await Lua(5L, "still"));
    }

    [Fact]
    public async Task Hotfix_with_Lua_source_replies_false_and_says_why()
    {
        var reply = Assert.IsType<object?[]>(await Lua(SnaxLuaIds.Hotfix, "function response.ping(hello) return 'patched' end"));
        Assert.Equal(false, reply[0]);
        var message = Assert.IsType<string>(reply[1]);
        Assert.Contains("Lua source cannot be applied", message);
        Assert.Contains("Ordered", message);
        Assert.Equal("unchanged", await Lua(5L, "unchanged"));
    }

    [Fact]
    public async Task Hotfix_with_a_CSharp_patch_applies_it_and_replies_true_with_the_Hotfix_result()
    {
        const string patch = """
            static class Patch
            {
                static string Ping(Skynet.ClusterTests.Ordered self, string hello) => "patched " + hello;
                static object? Hotfix(Skynet.ClusterTests.Ordered self, string note) => note + "!";
            }
            """;
        var reply = Assert.IsType<object?[]>(await Lua(SnaxLuaIds.Hotfix, patch, "applied"));
        Assert.Equal([true, "applied!"], reply);
        Assert.Equal("patched x", await Lua(5L, "x"));
    }

    [Fact]
    public async Task Profile_is_id_4_and_returns_snaxd_profile_table()
    {
        await Lua(5L, "a");
        await Lua(5L, "b");
        await Lua(6L, 1L, 1L);
        var table = Assert.IsType<LuaTable>(await Lua(SnaxLuaIds.Profile));
        var ping = Assert.IsType<LuaTable>(table.Hash["Ping"]);
        Assert.Equal(2L, ping.Hash["count"]);
        Assert.True((double)ping.Hash["time"]! >= 0);
        Assert.Equal(1L, ((LuaTable)table.Hash["Add"]!).Hash["count"]);
        Assert.False(table.Hash.ContainsKey("Fail"));
    }

    [Theory]
    [InlineData("abc", "the Lua string \"abc\"")]
    [InlineData(1.5, "float with a fraction")]
    [InlineData(5_000_000_000L, "out of range")]
    [InlineData(true, "the Lua boolean true")]
    public async Task A_Lua_value_of_the_wrong_type_fails_that_call_with_a_clear_error_and_the_service_serves_on(object bad, string why)
    {
        var ex = await Assert.ThrowsAsync<CallFailedException>(() => Lua(6L, bad, 2L));
        Assert.Contains("Ordered.Add", ex.Reason);
        Assert.Contains("'a'", ex.Reason);
        Assert.Contains(why, ex.Reason);
        Assert.Equal(3L, await Lua(6L, 1L, 2L));
        Assert.Equal(4L, await Lua(6L, 2.0, 2L)); // a float without a fraction is an integer, as math.tointeger says
    }

    [Fact]
    public async Task A_wrong_element_inside_a_Lua_array_names_its_position()
    {
        var ex = await Assert.ThrowsAsync<CallFailedException>(() => Lua(9L, new LuaTable { Array = { 1L, "two" } }));
        Assert.Contains("[2]", ex.Reason);
        Assert.Contains("'values'", ex.Reason);
    }

    [Fact]
    public async Task An_unknown_Lua_id_is_an_error_reply()
    {
        var ex = await Assert.ThrowsAsync<CallFailedException>(() => Lua(11L));
        Assert.Contains("no snax method with the Lua id 11", ex.Reason);
    }

    [Fact]
    public async Task Raw_frames_as_skynet_sends_them_kill_and_profile()
    {
        // lua-cluster.c request: u16 BE size, 00, address u32 LE, session u32 LE, skynet.pack bytes. The payloads are
        // built from ../shared/vectors/seri.tsv rows (1 = 0a01, "abc" = 1c616263): skynet.pack(4) and skynet.pack(2, "bye").
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _port)).WaitAsync(Node.Patience);

        await socket.SendAsync(Request(_ordered.Value, 1, [0x0a, 0x04]), SocketFlags.None);
        var (session, ok, payload) = await ReadResponse(socket);
        Assert.Equal((1, true), (session, ok));
        Assert.IsType<LuaTable>(Assert.Single(SkynetPack.Unpack(payload)));

        var gone = _server.Skynet.WhenGone(_ordered);
        await socket.SendAsync(Request(_ordered.Value, 2, [0x0a, 0x02, 0x1c, (byte)'b', (byte)'y', (byte)'e']), SocketFlags.None);
        (session, ok, payload) = await ReadResponse(socket);
        Assert.Equal((2, true), (session, ok));
        Assert.Empty(payload); // snaxd's skynet.ret(): no values
        await Node.Within(gone);
        await _server.Logs.WaitFor("ordered exit: bye");
    }

    static byte[] Request(uint address, uint session, byte[] payload)
    {
        var frame = new byte[2 + 9 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)(9 + payload.Length));
        frame[2] = 0;
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(3), address);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(7), session);
        payload.CopyTo(frame, 11);
        return frame;
    }

    // lua-cluster.c response: u16 BE size, session u32 LE, 01 ok / 00 error, payload.
    static async Task<(int Session, bool Ok, byte[] Payload)> ReadResponse(Socket socket)
    {
        var body = await RawFrames.ReadFrame(socket);
        return (BinaryPrimitives.ReadInt32LittleEndian(body), body[4] == 1, body[5..]);
    }
}
