using System.Collections.Concurrent;
using System.Diagnostics;
using Skynet.Diagnostics;

namespace Skynet.Ops.Tests.Diagnostics;

public class TracingTests
{
    [Fact]
    public async Task A_call_is_a_client_activity_under_the_caller_s_current_activity()
    {
        using var recorder = new ActivityRecorder(SkynetTracing.SourceName, "Skynet.Ops.Tests");
        var stopped = recorder.Stopped;
        await using var test = new TestNode();
        var callee = await TestNode.Within(test.Node.NewService<Callee>());
        var caller = await TestNode.Within(test.Node.NewService<Caller>());

        var ids = ((string)(await TestNode.Within(test.Node.Call(caller, callee, "traced")))!).Split(' ');

        var call = Assert.Single(stopped, a => a.OperationName == "skynet.call" && a.TraceId.ToHexString() == ids[0]);
        Assert.Equal(ActivityKind.Client, call.Kind);
        Assert.Equal(ids[1], call.ParentSpanId.ToHexString());
        Assert.Equal(callee.ToString(), call.GetTagItem("skynet.destination"));
        Assert.Equal(caller.ToString(), call.GetTagItem("skynet.source"));
        Assert.Equal(ActivityStatusCode.Unset, call.Status);
    }

    [Fact]
    public async Task A_call_chain_through_a_relay_is_one_trace()
    {
        using var recorder = new ActivityRecorder(SkynetTracing.SourceName, "Skynet.Ops.Tests");
        var stopped = recorder.Stopped;
        await using var test = new TestNode();
        var callee = await TestNode.Within(test.Node.NewService<Callee>());
        var relay = await TestNode.Within(test.Node.NewService(new Relay(), callee));
        var caller = await TestNode.Within(test.Node.NewService<Caller>());

        var ids = ((string)(await TestNode.Within(test.Node.Call(caller, relay, "traced")))!).Split(' ');

        var calls = stopped.Where(a => a.OperationName == "skynet.call" && a.TraceId.ToHexString() == ids[0]).ToList();
        Assert.Equal(2, calls.Count);
        var first = Assert.Single(calls, c => (string?)c.GetTagItem("skynet.destination") == relay.ToString());
        var second = Assert.Single(calls, c => (string?)c.GetTagItem("skynet.destination") == callee.ToString());
        Assert.Equal(ids[1], first.ParentSpanId.ToHexString());
        Assert.Equal(first.SpanId, second.ParentSpanId);
        Assert.Equal(relay.ToString(), second.GetTagItem("skynet.source"));
    }

    [Fact]
    public void The_W3C_traceparent_round_trips_and_a_malformed_one_starts_a_new_trace()
    {
        using var recorder = new ActivityRecorder(SkynetTracing.SourceName); // a listener, so activities are created
        var context = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);

        var header = SkynetTracing.FormatTraceParent(context);

        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-01$", header);
        Assert.True(SkynetTracing.ParseTraceParent(header, out var parsed));
        Assert.Equal(context.TraceId, parsed.TraceId);
        Assert.Equal(context.SpanId, parsed.SpanId);
        using (var remote = SkynetTracing.StartRemoteRequest("skynet.cluster.request", header))
        {
            Assert.Equal(context.TraceId, remote!.TraceId);
            Assert.Equal(context.SpanId, remote.ParentSpanId);
        }
        Assert.False(SkynetTracing.ParseTraceParent("00-garbage", out _));
        using var fresh = SkynetTracing.StartRemoteRequest("skynet.cluster.request", "\u0000\u0001 not a header");
        Assert.NotEqual(context.TraceId, fresh!.TraceId);
    }
}
