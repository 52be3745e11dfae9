namespace Skynet.Channels;

/// <summary>What a session-mode response reader returns: skynet's <c>session, ok, data</c>.</summary>
/// <param name="Session">The session of the request this answers.</param>
/// <param name="Ok">False when the server reports an error; the request then throws with <paramref name="Data"/>.</param>
/// <param name="Data">The response.</param>
public readonly record struct SocketChannelResponse(long Session, bool Ok, object? Data);
