using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using Skynet.ClusterWire;

namespace Skynet.Diagnostics;

/// <summary>
/// Carries W3C trace context across cluster nodes in skynet's own trace frame (<c>cluster.packtrace</c>), so a call
/// chain through <c>cluster.call</c> is one trace in OpenTelemetry. The frame's tag is skynet's trace tag (when the
/// calling request is traced with <see cref="Service.Trace"/>) followed by the <c>traceparent</c>, space-separated;
/// a receiving node takes the token that parses as a <c>traceparent</c> and ignores the rest, so a Lua node's plain
/// skynet tags are read as before.
/// </summary>
/// <remarks>
/// Nothing is written while no <see cref="ActivityListener"/> listens and the request is not skynet-traced: the wire
/// then is exactly skynet's. A Lua node receiving our frame uses the whole tag as its skynet trace tag (it logs the
/// request's hops under it), which is what a trace frame asks of it.
/// </remarks>
internal static class ClusterTracing
{
    // The caller's trace of each cluster.call request, until its sender writes it (a request never written leaves the
    // count above zero: only the fast path is lost; the entry goes with the request).
    static readonly ConditionalWeakTable<SenderRequest, string> s_outgoing = new();
    // Per inbound connection: the tag of the next request, then the server activity of each request being served.
    static readonly ConditionalWeakTable<ClusterAgent, AgentTraces> s_agents = new();
    // The hot path (every cluster request) checks these before touching the tables: nothing to do until the first trace.
    static int s_outgoingCount;
    static volatile bool s_agentsUsed;

    sealed class AgentTraces
    {
        public ActivityContext? Next;
        public readonly Dictionary<int, Activity> Serving = [];
    }

    /// <summary>
    /// A <c>cluster.call</c> request was made, in the caller's own code (a service's coroutine or a thread outside the
    /// node): remember the trace it belongs to (the current activity and the request's skynet trace tag) until the
    /// sender writes it, possibly after waiting for a connection.
    /// </summary>
    public static void Capture(SenderRequest request)
    {
        var traceParent = SkynetTracing.Enabled && Activity.Current is { } current ? SkynetTracing.FormatTraceParent(current.Context) : null;
        var tag = Service.Current?.TraceTag;
        if (traceParent is null && tag is null) return;
        s_outgoing.AddOrUpdate(request, tag is null ? traceParent! : traceParent is null ? tag : $"{tag} {traceParent}");
        Interlocked.Increment(ref s_outgoingCount);
    }

    /// <summary>Writes the trace frame for <paramref name="request"/> just before the request itself, when it has one.</summary>
    public static void WriteTraceFrame(Service sender, int fd, SenderRequest request)
    {
        if (Volatile.Read(ref s_outgoingCount) == 0 || !s_outgoing.TryGetValue(request, out var tag)) return;
        s_outgoing.Remove(request);
        Interlocked.Decrement(ref s_outgoingCount);
        var bytes = Encoding.UTF8.GetBytes(tag);
        if (bytes.Length > ClusterFrames.MultiPart) return;
        var output = new FrameBuffer(bytes.Length + 3);
        ClusterFrames.WriteTrace(output, bytes);
        sender.Sockets.Write(fd, output.Array);
    }

    /// <summary>A trace frame arrived at <paramref name="agent"/>: its <c>traceparent</c>, if any, is the parent of the next request.</summary>
    public static void TraceFrame(ClusterAgent agent, ReadOnlySpan<byte> tag)
    {
        ActivityContext? parent = null;
        foreach (var token in Encoding.UTF8.GetString(tag).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            if (SkynetTracing.ParseTraceParent(token, out var context)) parent = context;
        if (parent is null && !s_agents.TryGetValue(agent, out _)) return;
        s_agents.GetOrCreateValue(agent).Next = parent;
        s_agentsUsed = true;
    }

    /// <summary>
    /// <paramref name="agent"/> starts serving request <paramref name="session"/>. A call gets a server activity, a child of the
    /// remote caller when its trace frame came first, is current until the returned scope ends (the local call it
    /// makes joins it) and ends at <see cref="Replied"/>.
    /// </summary>
    public static Scope Serving(ClusterAgent agent, int session, bool push, ClusterTarget target)
    {
        if (!s_agentsUsed && !SkynetTracing.Enabled) return default;
        ActivityContext? parent = null;
        if (s_agents.TryGetValue(agent, out var traces))
        {
            parent = traces.Next;
            traces.Next = null;
        }
        if (push || !SkynetTracing.Enabled) return default;
        var previous = Activity.Current; // starting the activity makes it current
        // A request is a trace of its own unless its caller said otherwise: never a child of whatever the agent's loop holds.
        Activity.Current = null;
        var activity = parent is { } remote
            ? SkynetTracing.Source.StartActivity("skynet.cluster.request", ActivityKind.Server, remote)
            : SkynetTracing.Source.StartActivity("skynet.cluster.request", ActivityKind.Server);
        if (activity is null)
        {
            Activity.Current = previous;
            return default;
        }
        if (activity.IsAllDataRequested)
        {
            activity.SetTag("skynet.cluster.target", target.ToString());
            activity.SetTag("skynet.session", session);
        }
        s_agents.GetOrCreateValue(agent).Serving[session] = activity;
        s_agentsUsed = true;
        return new Scope(previous);
    }

    /// <summary><paramref name="agent"/> answered <paramref name="session"/>: its server activity ends.</summary>
    public static void Replied(ClusterAgent agent, int session, bool ok)
    {
        if (!s_agentsUsed || !s_agents.TryGetValue(agent, out var traces) || !traces.Serving.Remove(session, out var activity)) return;
        if (!ok) activity.SetStatus(ActivityStatusCode.Error);
        activity.Stop();
    }

    /// <summary>Restores the activity that was current before <see cref="Serving"/>, so the agent's next frames do not run under it.</summary>
    public readonly struct Scope(Activity? previous) : IDisposable
    {
        readonly bool _set = true;

        public void Dispose()
        {
            if (_set) Activity.Current = previous is { IsStopped: true } ? null : previous; // a stopped activity cannot be current again
        }
    }
}
