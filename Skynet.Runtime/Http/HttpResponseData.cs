namespace Skynet.Http;

/// <summary>
/// What a service replies to an <see cref="HttpRequestData"/> (skynet's <c>httpd.write_response(write, code, body,
/// header)</c>). A service may also reply with a plain <see cref="string"/> (200, text/plain), a
/// <see cref="byte"/> array (200, application/octet-stream), an <see cref="int"/> status with no body, or nothing
/// (204).
/// </summary>
/// <param name="Code">The status code.</param>
/// <param name="Body">The body.</param>
/// <param name="ContentType">The content type.</param>
/// <param name="Header">Extra headers, or null.</param>
public sealed record HttpResponseData(int Code, byte[] Body, string ContentType = "text/plain; charset=utf-8", IReadOnlyDictionary<string, string>? Header = null)
{
    /// <summary>A text response.</summary>
    /// <param name="code">The status code.</param>
    /// <param name="text">The body.</param>
    public static HttpResponseData Text(int code, string text) => new(code, System.Text.Encoding.UTF8.GetBytes(text));
}
