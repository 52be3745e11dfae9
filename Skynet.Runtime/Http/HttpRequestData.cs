namespace Skynet.Http;

/// <summary>
/// An HTTP request as a service receives it from <see cref="HttpServer"/>: skynet's <c>httpd.read_request</c>
/// results (<c>code, url, method, header, body</c>) with the url split as <c>urllib.parse</c> and
/// <c>urllib.parse_query</c> split it. Arrives as the <see cref="PType.Lua"/> call <c>"http", request</c>.
/// </summary>
/// <param name="Method">GET, POST, ...</param>
/// <param name="Url">The path and query as sent.</param>
/// <param name="Path">The path.</param>
/// <param name="Query">The query's parameters (the last value of a repeated name).</param>
/// <param name="Header">The headers, names lower-case (as skynet's httpd gives them), repeated values joined by ", ".</param>
/// <param name="Body">The body (bounded by <see cref="HttpServerOptions.MaxRequestBodySize"/>).</param>
/// <param name="RemoteAddress">The client's address and port.</param>
public sealed record HttpRequestData(
    string Method,
    string Url,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Header,
    byte[] Body,
    string RemoteAddress)
{
    /// <summary>The body as UTF-8 text.</summary>
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);
}
