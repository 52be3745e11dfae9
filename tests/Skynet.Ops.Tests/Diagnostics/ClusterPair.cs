using System.Diagnostics;

namespace Skynet.Ops.Tests.Diagnostics;

/// <summary>
/// Two nodes in this process joined by skynet's cluster over 127.0.0.1 (port 0): node B serves <c>@callee</c>
/// (a <see cref="Callee"/>), node A reaches it as cluster node <see cref="PeerName"/> (unique per test, so
/// parallel tests' measurements can be told apart).
/// </summary>
public sealed class ClusterPair : IAsyncDisposable
{
    ClusterPair(TestNode a, TestNode b, string peerName, Address caller)
    {
        A = a;
        B = b;
        PeerName = peerName;
        Caller = caller;
    }

    public TestNode A { get; }
    public TestNode B { get; }
    public string PeerName { get; }

    /// <summary>A <see cref="ClusterCaller"/> on node A.</summary>
    public Address Caller { get; }

    public static async Task<ClusterPair> Start(string prefix)
    {
        var id = Guid.NewGuid().ToString("N");
        var a = new TestNode(nodeName: $"{prefix}-a-{id}");
        var b = new TestNode(nodeName: $"{prefix}-b-{id}");
        var callee = await TestNode.Within(b.Node.NewService<Callee>());
        Cluster.For(b.Node).Register("callee", callee);
        var endPoint = await TestNode.Within(Cluster.For(b.Node).Open(0, "127.0.0.1"));
        var peerName = $"{prefix}-peer-{id}";
        await TestNode.Within(Cluster.For(a.Node).Reload([new(peerName, $"127.0.0.1:{endPoint.Port}")]));
        var caller = await TestNode.Within(a.Node.NewService<ClusterCaller>());
        return new ClusterPair(a, b, peerName, caller);
    }

    /// <summary>Has the caller on A call <c>@callee</c> on B with <paramref name="what"/>; "traced" returns the caller's root activity ids.</summary>
    public async Task<string> Call(string what) => (string)(await TestNode.Within(A.Node.Call(Caller, PeerName, what)))!;

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
    }
}

/// <summary>Calls <c>@callee</c> on the cluster node it is told; with "traced", inside an activity of its own, and returns that activity's ids.</summary>
public sealed class ClusterCaller : Service
{
    protected override ValueTask OnStart(object?[] args)
    {
        Dispatch(PType.Lua, async message =>
        {
            var node = message.Arg<string>(0);
            var what = message.Arg<string>(1);
            using var root = what == "traced" ? Caller.TestSource.StartActivity("handle request") : null;
            var answer = (string)(await Cluster.Call(node, "@callee", what == "traced" ? "ok" : what))!;
            Ret(root is null ? answer : $"{root.TraceId} {root.SpanId}");
        });
        return default;
    }
}
