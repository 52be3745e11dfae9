using System.Collections.Concurrent;
using System.Diagnostics;

namespace Skynet.Diagnostics;

/// <summary>
/// The node's <see cref="ActivitySource"/> (named <c>Skynet</c>): each call a service makes is a client activity,
/// a child of whatever activity is current in that service's coroutine, so a call chain shows up in OpenTelemetry.
/// <see cref="FormatTraceParent"/>/<see cref="ParseTraceParent"/> carry the W3C <c>traceparent</c> across processes
/// (next to skynet's own trace tag, for the cluster protocol).
/// </summary>
public static class SkynetTracing
{
    /// <summary>The activity source name: <c>Skynet</c>.</summary>
    public const string SourceName = "Skynet";

    /// <summary>The source every runtime activity comes from.</summary>
    public static ActivitySource Source { get; } = new(SourceName, typeof(SkynetTracing).Assembly.GetName().Version?.ToString());

    // Keyed by node too: handles are per node, and several nodes may share the process (a test's cluster).
    static readonly ConcurrentDictionary<(SkynetNode Node, uint Caller, int Session), Activity> s_calls = new();
    // A counter, not s_calls.IsEmpty: IsEmpty takes every lock of an empty dictionary, and this is read per message.
    static int s_openCalls;

    internal static bool Enabled => Source.HasListeners();

    internal static bool Recording => Enabled || Volatile.Read(ref s_openCalls) != 0;

    internal static void CallStarted(Service caller, int session, Address destination, PType type)
    {
        var activity = Source.StartActivity("skynet.call", ActivityKind.Client);
        if (activity is null) return;
        if (activity.IsAllDataRequested)
        {
            activity.SetTag("skynet.source", caller.Self.ToString());
            activity.SetTag("skynet.destination", destination.ToString());
            activity.SetTag("skynet.session", session);
            activity.SetTag("skynet.ptype", type.ToString());
        }
        if (s_calls.TryAdd((caller.Node, caller.Self.Value, session), activity)) Interlocked.Increment(ref s_openCalls);
        // The call's activity must not stay current for the caller's next messages: only its awaiting coroutine sees it.
        Activity.Current = activity.Parent;
    }

    /// <summary>
    /// A request is about to be handled: its handler runs under the caller's call activity, so the calls it makes in
    /// turn join the same trace (the turn restores the execution context afterwards, so nothing leaks to the next message).
    /// </summary>
    internal static void RequestArrived(SkynetNode node, in Envelope envelope)
    {
        if (envelope.Type is (int)PType.Response or (int)PType.Error) return;
        if (Volatile.Read(ref s_openCalls) != 0 && s_calls.TryGetValue((node, envelope.Source, envelope.Session), out var call))
            Activity.Current = call;
    }

    internal static void CallEnded(Service caller, int session, object? failure)
    {
        if (Volatile.Read(ref s_openCalls) == 0 || !s_calls.TryRemove((caller.Node, caller.Self.Value, session), out var activity)) return;
        Interlocked.Decrement(ref s_openCalls);
        if (failure is not null) activity.SetStatus(ActivityStatusCode.Error, failure is CallError error ? $"{error.Failure}: {error.Reason}" : failure.ToString());
        activity.Stop();
    }

    /// <summary>Formats <paramref name="context"/> as a W3C <c>traceparent</c> header value (<c>00-traceid-spanid-flags</c>).</summary>
    public static string FormatTraceParent(ActivityContext context) =>
        $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{(context.TraceFlags.HasFlag(ActivityTraceFlags.Recorded) ? "01" : "00")}";

    /// <summary>Parses a W3C <c>traceparent</c>; false when it is malformed (a remote peer's bad header is ignored, never fatal).</summary>
    public static bool ParseTraceParent(string? traceParent, out ActivityContext context) =>
        ActivityContext.TryParse(traceParent, traceState: null, isRemote: true, out context);

    /// <summary>
    /// Starts the server-side activity for a request that arrived from another process with <paramref name="traceParent"/>
    /// (for the cluster module and gates); null when nobody listens. A malformed header starts a new trace.
    /// </summary>
    public static Activity? StartRemoteRequest(string name, string? traceParent) =>
        ParseTraceParent(traceParent, out var parent)
            ? Source.StartActivity(name, ActivityKind.Server, parent)
            : Source.StartActivity(name, ActivityKind.Server);
}
