using Microsoft.Extensions.Logging;

namespace Skynet;

public abstract partial class Service
{
    int _traceSequence;
    Dictionary<Coroutine, string>? _traceTags; // only traced coroutines are here, so a coroutine stays four fields
    string? _incomingTraceTag;
    uint _incomingTraceSource;

    /// <summary>
    /// Tags the request this coroutine handles with a trace tag (<c>:0000000a-1</c>) and logs it (skynet's
    /// <c>skynet.trace</c>). From then on every hop of the call chain logs a <c>&lt;TRACE tag&gt;</c> line: this
    /// service's calls, the requests they start in the callees (which inherit the tag and pass it on), and each reply.
    /// </summary>
    /// <param name="info">Text for the first trace line, such as what is being traced.</param>
    /// <returns>The tag.</returns>
    /// <exception cref="InvalidOperationException">This coroutine handles no request (a fork, timeout, or a message sent without a session).</exception>
    public string Trace(string? info = null)
    {
        EnsureInTurn();
        var request = CurrentRequest
            ?? throw new InvalidOperationException("Trace() tags the request this coroutine handles; this coroutine has none (a fork, timeout, or a message sent without a session).");
        var tag = request.TraceTag = $"{Self}-{++_traceSequence}";
        TraceHop(tag, info is null ? "trace" : $"trace {info}");
        return tag;
    }

    /// <summary>The trace tag of the request this coroutine handles, or null (skynet's <c>skynet.tracetag</c>).</summary>
    public string? TraceTag => CurrentRequest?.TraceTag;

    internal string? TraceTagOf(Coroutine coroutine) => _traceTags?.GetValueOrDefault(coroutine);

    internal void SetTraceTag(Coroutine coroutine, string? tag)
    {
        if (tag is not null) (_traceTags ??= [])[coroutine] = tag;
        else _traceTags?.Remove(coroutine);
    }

    void AdoptTrace(Coroutine request)
    {
        if (_incomingTraceSource != request.Source.Value) return;
        request.TraceTag = _incomingTraceTag;
        _incomingTraceTag = null;
        TraceHop(request.TraceTag!, $"request {request.Source} session {request.Session}");
    }

    void SendTrace(Address destination, string tag)
    {
        TraceHop(tag, $"call {destination}");
        Node.Route(destination, new Envelope((int)PType.Trace, 0, _handle, tag));
    }

    void TraceHop(string tag, string what) => Log(LogLevel.Information, $"<TRACE {tag}> {Node.Now} {what}");
}
