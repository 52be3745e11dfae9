using System.Linq;
using Microsoft.CodeAnalysis;

namespace Skynet.Analyzers.Diagnostics;

/// <summary>Every diagnostic Skynet.Analyzers reports. Ids live in <see cref="DiagnosticIds"/>.</summary>
public static class DiagnosticDescriptors
{
    const string Reentrancy = "Skynet.Reentrancy";
    const string Responses = "Skynet.Responses";
    const string Usage = "Skynet.Usage";

    /// <summary>The base of every help link, from the <c>SkynetDiagnosticsHelpBase</c> MSBuild property of Skynet.Analyzers.</summary>
    public static string HelpBase { get; } = typeof(DiagnosticDescriptors).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), inherit: false)
        .OfType<System.Reflection.AssemblyMetadataAttribute>()
        .FirstOrDefault(a => a.Key == "SkynetDiagnosticsHelpBase")?.Value?.TrimEnd('/') ?? "https://github.com/skynet-dotnet/skynet-dotnet/blob/main/docs/diagnostics";

    /// <summary>The page of <paramref name="id"/> under <see cref="HelpBase"/>, at <paramref name="anchor"/> when given.</summary>
    public static string HelpLink(string id, string? anchor = null) => $"{HelpBase}/{id}.md" + (anchor is null ? "" : "#" + anchor);

    static DiagnosticDescriptor Create(string id, string title, string message, string category, DiagnosticSeverity severity, string description, string? anchor = null) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, description, HelpLink(id, anchor));

    /// <summary>SKY1001: <c>'_balance' is read before the await at line 12 and written after it; ...</c></summary>
    public static readonly DiagnosticDescriptor StateAcrossAwait = Create(
        DiagnosticIds.StateAcrossAwait,
        "Service state changes across an await",
        "'{0}' is {1} before the await on line {2} and {3} after it; other messages of this service run at the await, so wrap the span in a CriticalSection",
        Reentrancy, DiagnosticSeverity.Warning,
        "An await is a yield point: while a handler waits, the service handles its other messages, which may change the same field. " +
        "A value read before the await and written back after it loses their updates; a value written before and read after it may no longer be yours. " +
        "Run the span inside the service's CriticalSection (skynet.queue) or re-read the state after the await.");

    /// <summary>SKY1002: an awaited request to the service itself.</summary>
    public static readonly DiagnosticDescriptor AwaitedSelfCall = Create(
        DiagnosticIds.AwaitedSelfCall,
        "Awaited request to the service itself",
        "This awaits a request to the service itself ({0}); inside a critical section it deadlocks, elsewhere other messages run before it returns",
        Reentrancy, DiagnosticSeverity.Warning,
        "A service that calls itself and awaits the answer suspends the caller until the service handles the request as another message. " +
        "If the caller holds a CriticalSection the request waits for the section forever. Call the method directly instead.");

    /// <summary>SKY1003: a Req call whose task is dropped.</summary>
    public static readonly DiagnosticDescriptor DroppedRequest = Create(
        DiagnosticIds.DroppedRequest,
        "Req call is not awaited",
        "The task of request '{0}' is dropped: its answer and its failure are lost; await it, or use Post for a one-way message",
        Reentrancy, DiagnosticSeverity.Warning,
        "A Req call sends a request and returns a ValueTask for the reply. Dropping the task loses the result and any CallFailedException. " +
        "Await it, or send one-way with the Post view when the method is an [Accept].");

    /// <summary>SKY1004: a raw request handler with a path that returns without replying.</summary>
    public static readonly DiagnosticDescriptor HandlerPathWithoutReply = Create(
        DiagnosticIds.HandlerPathWithoutReply,
        "Request handler path returns without a reply",
        "A path through this request handler ends at line {0} without Ret, Response() or a throw; the caller gets NoResponse",
        Responses, DiagnosticSeverity.Warning,
        "A dispatch function that replies on some paths is a request handler; every path of a request must end with Ret, Response() or a throw, " +
        "or the runtime logs 'Maybe forgot response' and fails the caller with CallFailure.NoResponse. Paths where message.IsRequest is false are exempt.");

    /// <summary>SKY1005: a responder never completed on some path.</summary>
    public static readonly DiagnosticDescriptor ResponderNotCompleted = Create(
        DiagnosticIds.ResponderNotCompleted,
        "Responder is not completed",
        "The responder '{0}' is neither completed nor handed on along a path that ends at line {1}; the caller waits until the service exits",
        Responses, DiagnosticSeverity.Warning,
        "Response() takes the reply out of the handler. Every path must then call Respond exactly once, or hand the responder on (store it, pass it, capture it).");

    /// <summary>SKY1005 for a field: responders stored in it that no code of the service completes or hands on.</summary>
    public static readonly DiagnosticDescriptor StoredResponderNotCompleted = Create(
        DiagnosticIds.ResponderNotCompleted,
        "Responder is not completed",
        "A responder is stored in '{0}', but no code of {1} calls Respond on what '{0}' holds or hands it on; the caller waits until the service exits",
        Responses, DiagnosticSeverity.Warning,
        "A responder parked in a field (to answer later, when a match is found or a timer fires) must be taken out and completed somewhere. " +
        "Nothing in the service reads the field except to store, count or drop responders.", anchor: "fields");

    /// <summary>SKY1006: a responder completed twice on one path.</summary>
    public static readonly DiagnosticDescriptor ResponderCompletedTwice = Create(
        DiagnosticIds.ResponderCompletedTwice,
        "Responder is completed twice",
        "The responder '{0}' may already have been completed on this path; a second Respond throws InvalidOperationException",
        Responses, DiagnosticSeverity.Warning,
        "A responder answers exactly once. Check IsPending or restructure the code so each path calls Respond once.");

    /// <summary>SKY1007: Ret after Response().</summary>
    public static readonly DiagnosticDescriptor RetAfterResponse = Create(
        DiagnosticIds.RetAfterResponse,
        "Ret after the reply was handed to a responder",
        "Ret is called after Response() took the reply on line {0}; it throws InvalidOperationException, use the responder instead",
        Responses, DiagnosticSeverity.Error,
        "After Response() the reply belongs to the responder. Ret on the same coroutine throws at run time.");

    /// <summary>SKY1008: [Accept] returning a value.</summary>
    public static readonly DiagnosticDescriptor AcceptReturnsValue = Create(
        DiagnosticIds.AcceptReturnsValue,
        "[Accept] method returns a value",
        "The [Accept] method '{0}' returns '{1}', which Post callers never see; make it [Response] or return void",
        Usage, DiagnosticSeverity.Warning,
        "An [Accept] method is one-way: callers use Post, which returns at once, so a return value is dropped. Use [Response] when the caller needs it.");

    /// <summary>SKY1009: [Response] returning void.</summary>
    public static readonly DiagnosticDescriptor ResponseReturnsVoid = Create(
        DiagnosticIds.ResponseReturnsVoid,
        "[Response] method returns void",
        "The [Response] method '{0}' returns void; make it [Accept], or return a value or a ValueTask",
        Usage, DiagnosticSeverity.Warning,
        "A [Response] method answers a request. A void method has nothing to answer: it is one-way, which is what [Accept] is for.");

    /// <summary>SKY1010: async void in a service.</summary>
    public static readonly DiagnosticDescriptor AsyncVoid = Create(
        DiagnosticIds.AsyncVoid,
        "async void in a service",
        "'{0}' is async void: the service cannot track it, and an exception after its first await crashes the process; return ValueTask",
        Usage, DiagnosticSeverity.Error,
        "An async void method or lambda escapes the service's coroutine tracking: nothing awaits it, a request it handles is never answered, " +
        "and an exception is rethrown on the synchronization context. Return ValueTask, or start it with Fork.");

    /// <summary>SKY1011: blocking waits.</summary>
    public static readonly DiagnosticDescriptor BlockingWait = Create(
        DiagnosticIds.BlockingWait,
        "Blocking wait in a service",
        "'{0}' blocks the worker thread; the service (and the worker) can do nothing else, and a wait on this service's own work deadlocks: use await",
        Usage, DiagnosticSeverity.Warning,
        "Services share a few worker threads. A blocking wait holds one of them and, when the awaited work needs this service, never ends. " +
        "Use await, and await Sleep instead of Thread.Sleep.");

    /// <summary>SKY1012: ConfigureAwait(false).</summary>
    public static readonly DiagnosticDescriptor ConfigureAwaitFalse = Create(
        DiagnosticIds.ConfigureAwaitFalse,
        "ConfigureAwait(false) in a service",
        "ConfigureAwait(false) resumes outside the service; the code after it races the service's other messages and the service API throws there",
        Usage, DiagnosticSeverity.Warning,
        "A service's code must run on the service's own context. ConfigureAwait(false) continues on a thread-pool thread, outside the mailbox.");

    /// <summary>SKY1013: types that cannot cross a node.</summary>
    public static readonly DiagnosticDescriptor NonTransferableType = Create(
        DiagnosticIds.NonTransferableType,
        "Type cannot cross services",
        "{0} of '{1}' cannot cross services: {2}",
        Usage, DiagnosticSeverity.Error,
        "Arguments and results of [Accept]/[Response] methods are copied between services and packed with MemoryPack when a call leaves the process. " +
        "They must be types MemoryPack can write: primitives, string, enums, unmanaged structs, [MemoryPackable] and [MemoryPackUnion] types, " +
        "and arrays, tuples, nullables and collections (List, Dictionary, HashSet, immutable and interface collections, ...) of those. " +
        "ref/out/in parameters, pointers, delegates and object never cross. [Immutable] only changes how a type is copied in-process; it still needs [MemoryPackable].");

    /// <summary>SKY1014: [Service] class not partial.</summary>
    public static readonly DiagnosticDescriptor ServiceNotPartial = Create(
        DiagnosticIds.ServiceNotPartial,
        "[Service] class is not partial",
        "The [Service] class '{0}' must be partial so the generator can add its proxy and dispatch table",
        Usage, DiagnosticSeverity.Error,
        "The generator adds members to every [Service] class; that needs the partial modifier on each declaration (and on containing types).");

    /// <summary>SKY1015: [Service] class not deriving from Service.</summary>
    public static readonly DiagnosticDescriptor ServiceNotDerived = Create(
        DiagnosticIds.ServiceNotDerived,
        "[Service] class does not derive from Service",
        "The [Service] class '{0}' must derive from Skynet.Service",
        Usage, DiagnosticSeverity.Error,
        "A snax service is a Service: it needs the mailbox, Self, Sleep, Fork and the rest of the base class.");

    /// <summary>SKY1016: static mutable state in a service.</summary>
    public static readonly DiagnosticDescriptor StaticMutableState = Create(
        DiagnosticIds.StaticMutableState,
        "Static mutable state in a service",
        "'{0}' is static and mutable: every instance of '{1}' on every worker thread shares it; services must not share memory",
        Usage, DiagnosticSeverity.Warning,
        "Services run in parallel on different threads and communicate only by messages. A static field that can change is shared memory: " +
        "make it an instance field, readonly/const, or move it into a service of its own.");

    /// <summary>SKY1017: <c>Snax.NewService&lt;Player&gt;(string name, int level) does not take ()...</c></summary>
    public static readonly DiagnosticDescriptor SnaxCallMismatch = Create(
        DiagnosticIds.SnaxCallMismatch,
        "Snax call does not match the service",
        "{0} expects ({1}): {2}",
        Usage, DiagnosticSeverity.Error,
        "Snax.NewService<T>, Snax.UniqueService<T> and Snax.Kill are generated per service from its OnInit and OnExit parameters. " +
        "When the arguments do not match, the compiler reports the overload of another service (CS0311, CS1503, CS7036); this names the service and its signature.");

    /// <summary>SKY1018: <c>Timeout.InfiniteTimeSpan</c> inside a service binds to <c>Service.Timeout(...)</c>.</summary>
    public static readonly DiagnosticDescriptor ServiceMemberHidesType = Create(
        DiagnosticIds.ServiceMemberHidesType,
        "A service method hides the type of the same name",
        "Inside a service '{0}' is the method {3}.{0}(...), not the type {1}; write {1}.{2}",
        Usage, DiagnosticSeverity.Error,
        "Members of the class and its base classes are found before types from using directives, so a service method named " +
        "Timeout (a port of skynet.timeout, which Skynet calls SetTimeout) makes Timeout.InfiniteTimeSpan fail to compile (CS0119). " +
        "Qualify the type: System.Threading.Timeout.InfiniteTimeSpan, or rename the method.");
}
