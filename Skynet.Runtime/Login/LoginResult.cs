namespace Skynet.Login;

/// <summary>What a login server answered (see <see cref="LoginClient"/>).</summary>
/// <param name="Code">The status code: 200, 401, 403 or 406.</param>
/// <param name="StatusLine">The whole status line without its <c>\n</c>, e.g. <c>200 MQ==</c>.</param>
/// <param name="SubId">The subid decoded from a 200 line; null for the other codes.</param>
/// <param name="Secret">The secret the handshake agreed; the msgserver handshake needs it.</param>
public sealed record LoginResult(int Code, string StatusLine, string? SubId, byte[] Secret)
{
    /// <summary>True for <c>200</c>.</summary>
    public bool IsSuccess => Code == 200;
}
