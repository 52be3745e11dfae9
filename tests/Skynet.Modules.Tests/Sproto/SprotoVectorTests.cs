using Skynet.Sproto;

namespace Skynet.Modules.Tests.Sproto;

/// <summary>Byte-exactness with skynet's sproto: schema bundles, encodings, 0-packing and the RPC host.</summary>
public sealed class SprotoVectorTests
{
    static readonly Dictionary<string, SprotoSchema> Schemas = new[] { "wire.sproto", "addressbook.sproto", "c2s.sproto", "s2c.sproto" }
        .ToDictionary(f => f, f => SprotoSchema.Parse(SprotoVectors.Schema(f), f));

    public static TheoryData<string, string> SchemaCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in SprotoVectors.Lines("schema")) data.Add(c[1], c[2]);
        return data;
    }

    [Theory]
    [MemberData(nameof(SchemaCases))]
    public void Parser_writes_the_same_bundle_as_sprotoparser(string file, string bundleHex) =>
        Assert.Equal(bundleHex, Convert.ToHexStringLower(Schemas[file].ToBundle()));

    [Theory]
    [MemberData(nameof(SchemaCases))]
    public void Skynets_bundle_loads_to_the_same_schema(string file, string bundleHex)
    {
        var loaded = SprotoSchema.Load(SprotoVectors.Hex(bundleHex));
        Assert.Equal(bundleHex, Convert.ToHexStringLower(loaded.ToBundle()));
        Assert.Equal(Schemas[file].Types.Select(t => string.Join(";", t.Fields)), loaded.Types.Select(t => string.Join(";", t.Fields)));
        foreach (var c in SprotoVectors.Lines("value").Where(c => c[1] == file))
            Assert.Equal(c[4], Convert.ToHexStringLower(loaded.Encode(c[2], loaded.Decode(c[2], SprotoVectors.Hex(c[4])))));
    }

    public static TheoryData<int, string, string, string, string, string> ValueCases()
    {
        var data = new TheoryData<int, string, string, string, string, string>();
        var i = 0;
        foreach (var c in SprotoVectors.Lines("value")) data.Add(i++, c[1], c[2], c[3], c[4], c[5]);
        return data;
    }

    [Theory]
    [MemberData(nameof(ValueCases))]
    public void Decode_encode_and_pack_match_skynet(int index, string file, string type, string canonical, string encodedHex, string packedHex)
    {
        _ = index;
        var schema = Schemas[file];
        var encoded = SprotoVectors.Hex(encodedHex);
        var decoded = schema.Decode(type, encoded);
        Assert.Equal(canonical, Canonical.Of(decoded));
        Assert.Equal(encodedHex, Convert.ToHexStringLower(schema.Encode(type, decoded)));
        Assert.Equal(packedHex, Convert.ToHexStringLower(schema.PEncode(type, decoded)));
        Assert.Equal(canonical, Canonical.Of(schema.PDecode(type, SprotoVectors.Hex(packedHex))));
    }

    public static TheoryData<int, string, string> PackCases()
    {
        var data = new TheoryData<int, string, string>();
        var i = 0;
        foreach (var c in SprotoVectors.Lines("pack")) data.Add(i++, c[1], c[2]);
        return data;
    }

    [Theory]
    [MemberData(nameof(PackCases))]
    public void Zero_packing_matches_skynet(int index, string rawHex, string packedHex)
    {
        _ = index;
        var raw = SprotoVectors.Hex(rawHex);
        Assert.Equal(packedHex, Convert.ToHexStringLower(SprotoPacking.Pack(raw)));
        var unpacked = SprotoPacking.Unpack(SprotoVectors.Hex(packedHex));
        Assert.Equal((raw.Length + 7) / 8 * 8, unpacked.Length);
        Assert.Equal(rawHex, Convert.ToHexStringLower(unpacked.AsSpan(0, raw.Length)));
        Assert.All(unpacked.AsSpan(raw.Length).ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void Rpc_host_matches_skynet_client_and_agent()
    {
        var rpc = SprotoVectors.Lines("rpc").ToDictionary(c => c[1], c => c[2]);
        var c2s = Schemas["c2s.sproto"];
        var s2c = Schemas["s2c.sproto"];
        var client = s2c.Host("package");
        var request = client.Attach(c2s);
        var server = c2s.Host("package");
        var push = server.Attach(s2c);

        var r1 = Check("request handshake 1", request.Request("handshake", null, 1));
        var r2 = Check("request set 2", request.Request("set", new SprotoObject { ["what"] = "hello", ["value"] = "world" }, 2));
        var r3 = Check("request get 3", request.Request("get", new SprotoObject { ["what"] = "hello" }, 3));
        var r4 = Check("request quit 4", request.Request("quit", null, 4));
        Check("request set nosession", request.Request("set", new SprotoObject { ["what"] = "a", ["value"] = "b" }));
        Assert.Equal(4, client.PendingSessions);

        var m1 = server.Dispatch(r1);
        Assert.Equal((SprotoMessageKind.Request, "handshake", (SprotoObject?)null, 1L), (m1.Kind, m1.Name, m1.Args, m1.Session));
        var a1 = Check("response handshake 1", m1.Responder!.Respond(new SprotoObject { ["msg"] = "Welcome to skynet, I will send heartbeat every 5 sec." }));
        var m2 = server.Dispatch(r2);
        Assert.Equal("world", m2.Args!["value"]);
        var a2 = Check("response set 2", m2.Responder!.Respond());
        var m3 = server.Dispatch(r3);
        var a3 = Check("response get 3", m3.Responder!.Respond(new SprotoObject { ["result"] = "world" }));
        Check("response quit 4", server.Dispatch(r4).Responder!.Respond());
        Check("push heartbeat", push.Request("heartbeat"));

        var dispatched = SprotoVectors.Lines("dispatch").ToList();
        var answers = new[] { a1, a2, a3 };
        for (var i = 0; i < answers.Length; i++)
        {
            var m = client.Dispatch(answers[i]);
            Assert.Equal(SprotoMessageKind.Response, m.Kind);
            Assert.Equal(dispatched[i][2], m.Session.ToString());
            Assert.Equal(dispatched[i][3], Canonical.Of(m.Args ?? new SprotoObject()));
        }
        Assert.Equal(1, client.PendingSessions); // quit's answer not read yet

        byte[] Check(string name, byte[] ours)
        {
            Assert.Equal(rpc[name], Convert.ToHexStringLower(ours));
            return ours;
        }
    }
}
