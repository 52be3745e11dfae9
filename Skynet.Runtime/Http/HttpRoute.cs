namespace Skynet.Http;

/// <summary>Sends requests whose path starts with <paramref name="PathPrefix"/> (and, when set, whose method is
/// <paramref name="Method"/>) to a service, by address or by name.</summary>
/// <param name="PathPrefix">A path prefix such as <c>/</c> or <c>/api/</c>; the longest matching prefix wins.</param>
/// <param name="Target">The service's address, or null to use <paramref name="TargetName"/>.</param>
/// <param name="TargetName">The service's name (<c>.web</c>), when <paramref name="Target"/> is null.</param>
/// <param name="Method">GET, POST ... or null for any.</param>
public sealed record HttpRoute(string PathPrefix, Address? Target = null, string? TargetName = null, string? Method = null);
