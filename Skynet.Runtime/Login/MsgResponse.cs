namespace Skynet.Login;

/// <summary>One msgserver response (<c>content, u8 ok, u32 BE session</c>), as client.lua's <c>recv_response</c> returns it.</summary>
/// <param name="Ok">False when the server's request handler failed (the content is then empty).</param>
/// <param name="Content">The response's content.</param>
/// <param name="Session">The session of the request it answers.</param>
public readonly record struct MsgResponse(bool Ok, byte[] Content, uint Session);
