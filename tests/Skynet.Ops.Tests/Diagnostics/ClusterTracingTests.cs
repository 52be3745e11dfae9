using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Skynet.ClusterWire;
using Skynet.Diagnostics;

namespace Skynet.Ops.Tests.Diagnostics;

public class ClusterTracingTests
{
    [Fact]
    public async Task A_cluster_call_carries_the_W3C_trace_to_the_other_node()
    {
        using var recorder = new ActivityRecorder(SkynetTracing.SourceName, "Skynet.Ops.Tests");
        var stopped = recorder.Stopped;
        await using var pair = await ClusterPair.Start("trace");

        // Twice: the first call waits for the connection to open, the second finds it open (two paths in the sender).
        foreach (var round in new[] { "first", "second" })
        {
            var ids = (await pair.Call("traced")).Split(' ');
            var trace = stopped.Where(a => a.TraceId.ToHexString() == ids[0]).ToList();

            // The caller's activity on A → (trace frame) → the agent's server activity on B → (skynet.call) → callee.
            var server = Assert.Single(trace, a => a.OperationName == "skynet.cluster.request");
            Assert.Equal(ActivityKind.Server, server.Kind);
            Assert.Equal(ids[1], server.ParentSpanId.ToHexString());
            Assert.Equal("@callee", server.GetTagItem("skynet.cluster.target"));
            Assert.Contains(trace, a => a.OperationName == "skynet.call" && a.ParentSpanId.ToHexString() == ids[1]); // A's hop to its cluster sender
            var toCallee = Assert.Single(trace, a => a.OperationName == "skynet.call" && a.ParentSpanId == server.SpanId);
            Assert.NotNull(toCallee.GetTagItem("skynet.destination"));
            Assert.Equal(ActivityStatusCode.Unset, server.Status);
            Assert.True(server.Duration > TimeSpan.Zero, round);
        }
    }

    [Fact]
    public async Task A_trace_frame_s_traceparent_parents_the_next_request_and_a_plain_skynet_tag_is_ignored()
    {
        using var recorder = new ActivityRecorder(SkynetTracing.SourceName);
        var stopped = recorder.Stopped;
        await using var node = new TestNode(nodeName: "trace-frames-" + Guid.NewGuid().ToString("N"));
        var name = "callee" + Guid.NewGuid().ToString("N");
        Cluster.For(node.Node).Register(name, await TestNode.Within(node.Node.NewService<Callee>()));
        var endPoint = await TestNode.Within(Cluster.For(node.Node).Open(0, "127.0.0.1"));
        var context = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, endPoint.Port).WaitAsync(TestNode.Patience);
        var stream = tcp.GetStream();

        // As a Lua node's clustersender writes it: a skynet tag alone, then (as ours) skynet's tag next to the traceparent.
        await Request(stream, 1, name, ":00000008-1");
        await Request(stream, 2, name, $":00000008-2 {SkynetTracing.FormatTraceParent(context)}");
        await Request(stream, 3, name, null); // no frame: the tag was for one request only

        var served = stopped.Where(a => a.OperationName == "skynet.cluster.request" && (string?)a.GetTagItem("skynet.cluster.target") == "@" + name)
            .ToDictionary(a => (int)a.GetTagItem("skynet.session")!);
        Assert.Equal([1, 2, 3], served.Keys.Order());
        Assert.Equal(context.TraceId, served[2].TraceId);
        Assert.Equal(context.SpanId, served[2].ParentSpanId);
        Assert.NotEqual(context.TraceId, served[1].TraceId);
        Assert.Equal(default, served[1].ParentSpanId);
        Assert.NotEqual(context.TraceId, served[3].TraceId);
        Assert.Equal(default, served[3].ParentSpanId);
    }

    /// <summary>Writes an optional trace frame and one request to <c>@name</c>, and reads its one-frame reply.</summary>
    static async Task Request(NetworkStream stream, int session, string name, string? traceTag)
    {
        var output = new ArrayBufferWriter<byte>();
        if (traceTag is not null) ClusterFrames.WriteTrace(output, Encoding.UTF8.GetBytes(traceTag));
        ClusterFrames.WriteRequest(output, ClusterTarget.FromName("@" + name), session, Codecs.SkynetPack.Pack("ok"));
        await stream.WriteAsync(output.WrittenMemory).AsTask().WaitAsync(TestNode.Patience);
        var head = new byte[2];
        await stream.ReadExactlyAsync(head).AsTask().WaitAsync(TestNode.Patience);
        var body = new byte[BinaryPrimitives.ReadUInt16BigEndian(head)];
        await stream.ReadExactlyAsync(body).AsTask().WaitAsync(TestNode.Patience);
        Assert.Equal(session, BinaryPrimitives.ReadInt32LittleEndian(body));
        Assert.Equal(1, body[4]); // ok
    }
}
