using System.Text;

namespace Skynet.Login;

/// <summary>
/// The token format of skynet's <c>examples/login</c>: <c>base64(user)@base64(server):base64(password)</c>.
/// The login protocol carries any token; this is the convention the sample client and server share.
/// </summary>
public static class LoginToken
{
    /// <summary>Builds <c>base64(user)@base64(server):base64(password)</c> (client.lua's <c>encode_token</c>).</summary>
    public static string Encode(string user, string server, string password)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(password);
        return $"{B64(user)}@{B64(server)}:{B64(password)}";
    }

    /// <summary>
    /// Splits a token as logind.lua does (<c>([^@]+)@([^:]+):(.+)</c>) and decodes the three parts.
    /// </summary>
    /// <returns>False when the token does not have that shape or a part is not base64.</returns>
    public static bool TryParse(string token, out string user, out string server, out string password)
    {
        ArgumentNullException.ThrowIfNull(token);
        user = server = password = "";
        var at = token.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0) return false;
        var colon = token.IndexOf(':', at + 1);
        if (colon <= at + 1 || colon == token.Length - 1) return false;
        try
        {
            user = Encoding.UTF8.GetString(Crypt.Base64Decode(token.AsSpan(0, at)));
            server = Encoding.UTF8.GetString(Crypt.Base64Decode(token.AsSpan(at + 1, colon - at - 1)));
            password = Encoding.UTF8.GetString(Crypt.Base64Decode(token.AsSpan(colon + 1)));
            return true;
        }
        catch (CryptException)
        {
            user = server = password = "";
            return false;
        }
    }

    static string B64(string text) => Crypt.Base64Encode(Encoding.UTF8.GetBytes(text));
}
