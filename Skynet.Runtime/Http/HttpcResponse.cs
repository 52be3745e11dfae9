namespace Skynet.Http;

/// <summary>What <see cref="Httpc"/> returns: skynet's <c>code, body</c> plus the <c>recvheader</c> table.</summary>
/// <param name="Code">The status code.</param>
/// <param name="Body">The body.</param>
/// <param name="Header">Response and content headers, names lower-case.</param>
public sealed record HttpcResponse(int Code, byte[] Body, IReadOnlyDictionary<string, string> Header)
{
    /// <summary>The body as UTF-8 text.</summary>
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);
}
