namespace Skynet;

/// <summary>How a snax method is called.</summary>
public enum SnaxMethodKind
{
    /// <summary>One-way: <c>[Accept]</c>, called through <c>proxy.Post</c>.</summary>
    Accept,
    /// <summary>Request/reply: <c>[Response]</c>, called through <c>proxy.Req</c>.</summary>
    Response,
}
