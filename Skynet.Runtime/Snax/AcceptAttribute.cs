namespace Skynet;

/// <summary>A one-way snax method (snax <c>accept</c>): callers use <c>proxy.Post.Method(...)</c>, which returns at once.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class AcceptAttribute : Attribute;
