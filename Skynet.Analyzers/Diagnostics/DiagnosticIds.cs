namespace Skynet.Analyzers.Diagnostics;

/// <summary>
/// The ids of Skynet's usage diagnostics (<c>SKY1001–1999</c>; <c>SKY0001–0999</c> belong to the generator).
/// Each one has a page at <c>docs/diagnostics/SKYnnnn.md</c>.
/// </summary>
public static class DiagnosticIds
{
    /// <summary>Service state read before an await and written after it (or written, then read), outside a critical section.</summary>
    public const string StateAcrossAwait = "SKY1001";

    /// <summary>A request to the service itself is awaited.</summary>
    public const string AwaitedSelfCall = "SKY1002";

    /// <summary>The task of a <c>Req</c> call is dropped.</summary>
    public const string DroppedRequest = "SKY1003";

    /// <summary>A raw request handler has a path that returns without replying.</summary>
    public const string HandlerPathWithoutReply = "SKY1004";

    /// <summary>A responder is never completed on some path.</summary>
    public const string ResponderNotCompleted = "SKY1005";

    /// <summary>A responder is completed twice on one path.</summary>
    public const string ResponderCompletedTwice = "SKY1006";

    /// <summary><c>Ret</c> after the reply was handed to a responder.</summary>
    public const string RetAfterResponse = "SKY1007";

    /// <summary>An <c>[Accept]</c> method returns a value.</summary>
    public const string AcceptReturnsValue = "SKY1008";

    /// <summary>A <c>[Response]</c> method returns <c>void</c>.</summary>
    public const string ResponseReturnsVoid = "SKY1009";

    /// <summary><c>async void</c> in a service.</summary>
    public const string AsyncVoid = "SKY1010";

    /// <summary>A blocking wait in a service.</summary>
    public const string BlockingWait = "SKY1011";

    /// <summary><c>ConfigureAwait(false)</c> in a service.</summary>
    public const string ConfigureAwaitFalse = "SKY1012";

    /// <summary>A snax method parameter or result that cannot cross a node.</summary>
    public const string NonTransferableType = "SKY1013";

    /// <summary>A <c>[Service]</c> class that is not partial.</summary>
    public const string ServiceNotPartial = "SKY1014";

    /// <summary>A <c>[Service]</c> class that does not derive from <c>Skynet.Service</c>.</summary>
    public const string ServiceNotDerived = "SKY1015";

    /// <summary>A static mutable field or property in a service.</summary>
    public const string StaticMutableState = "SKY1016";

    /// <summary>A typed snax call (<c>Snax.NewService&lt;T&gt;</c>, <c>UniqueService&lt;T&gt;</c>, <c>Kill</c>) whose arguments do not match the service.</summary>
    public const string SnaxCallMismatch = "SKY1017";

    /// <summary>A type name such as <c>Timeout</c> that a member of <c>Skynet.Service</c> hides inside a service (<c>Timeout.InfiniteTimeSpan</c>).</summary>
    public const string ServiceMemberHidesType = "SKY1018";
}
