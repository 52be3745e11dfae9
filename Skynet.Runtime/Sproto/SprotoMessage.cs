namespace Skynet.Sproto;

/// <summary>What <see cref="SprotoHost.Dispatch"/> read: <c>"REQUEST", name, args, response, ud</c> or
/// <c>"RESPONSE", session, args, ud</c>.</summary>
/// <param name="Kind">Request or response.</param>
/// <param name="Name">The protocol's name (for a response, the name of the request it answers).</param>
/// <param name="Args">The decoded content, or null when the protocol carries none.</param>
/// <param name="Session">The header's session, or null (a request that wants no response).</param>
/// <param name="Responder">For a request with a session: packs its response. Otherwise null.</param>
/// <param name="Ud">The header's <c>ud</c> field, or null.</param>
public sealed record SprotoMessage(SprotoMessageKind Kind, string Name, SprotoObject? Args, long? Session, SprotoResponder? Responder, object? Ud);
