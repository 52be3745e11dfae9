namespace Skynet;

/// <summary>
/// A request/reply snax method (snax <c>response</c>): callers use <c>await proxy.Req.Method(...)</c>. It may return a
/// value, <c>ValueTask</c>, <c>ValueTask&lt;T&gt;</c>, <c>Task</c> or <c>Task&lt;T&gt;</c>; a throw fails the caller.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class ResponseAttribute : Attribute;
