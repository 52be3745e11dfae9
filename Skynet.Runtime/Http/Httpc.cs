using System.Net.Http.Headers;

namespace Skynet.Http;

/// <summary>
/// skynet's <c>http.httpc</c> on <see cref="HttpClient"/>: <c>request</c>, <c>get</c> and <c>post</c> (a form) from
/// a service. Every call is awaited, so the worker thread is free while the request is on the wire, and bounded by
/// <see cref="Timeout"/> (<c>httpc.timeout</c>).
/// </summary>
/// <remarks>
/// Give it a long-lived <see cref="HttpClient"/> (one per node is plenty) or one from
/// <see cref="IHttpClientFactory"/> (<see cref="Create(IHttpClientFactory, string, TimeSpan?)"/>) when the node is
/// hosted. It never disposes the client.
/// </remarks>
/// <param name="client">The client to send with.</param>
/// <param name="timeout">The bound of each call; 30 s when null.</param>
public sealed class Httpc(HttpClient client, TimeSpan? timeout = null)
{
    /// <summary>How long a call may take from sending to the end of the body (<c>httpc.timeout</c>).</summary>
    public TimeSpan Timeout { get; set; } = timeout ?? TimeSpan.FromSeconds(30);

    /// <summary>Creates an <see cref="Httpc"/> over a client from <paramref name="factory"/>.</summary>
    /// <param name="factory">The host's client factory.</param>
    /// <param name="name">The named client's configuration, or empty for the default.</param>
    /// <param name="timeout">The bound of each call.</param>
    public static Httpc Create(IHttpClientFactory factory, string name = "", TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return new Httpc(factory.CreateClient(name), timeout);
    }

    /// <summary>Sends a request (<c>httpc.request(method, host, url, recvheader, header, content)</c>).</summary>
    /// <param name="method">GET, POST ...</param>
    /// <param name="host"><c>host[:port]</c>, or with a scheme (<c>https://host</c>); http when none is given.</param>
    /// <param name="url">The path and query (<c>/index.html?x=1</c>).</param>
    /// <param name="header">Request headers, or null.</param>
    /// <param name="content">The body, or null.</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <exception cref="TimeoutException">No complete response within <see cref="Timeout"/>.</exception>
    /// <exception cref="HttpRequestException">The connection failed.</exception>
    public async Task<HttpcResponse> Request(string method, string host, string url, IReadOnlyDictionary<string, string>? header = null,
        HttpContent? content = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentException.ThrowIfNullOrEmpty(host);
        var uri = new Uri(new Uri(host.Contains("://", StringComparison.Ordinal) ? host : $"http://{host}"), url);
        using var request = new HttpRequestMessage(new HttpMethod(method), uri) { Content = content };
        if (header is not null)
        {
            foreach (var (name, value) in header)
                if (!request.Headers.TryAddWithoutValidation(name, value)) request.Content?.Headers.TryAddWithoutValidation(name, value);
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token);
            var body = await response.Content.ReadAsByteArrayAsync(deadline.Token);
            var received = new Dictionary<string, string>(StringComparer.Ordinal);
            Collect(received, response.Headers);
            Collect(received, response.Content.Headers);
            return new HttpcResponse((int)response.StatusCode, body, received);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{method} {uri}: no response within {Timeout.TotalSeconds:0.###} s (Httpc.Timeout)");
        }
    }

    /// <summary>A GET (<c>httpc.get(host, url, recvheader, header)</c>).</summary>
    /// <param name="host"><c>host[:port]</c> or with a scheme.</param>
    /// <param name="url">The path and query.</param>
    /// <param name="header">Request headers, or null.</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    public Task<HttpcResponse> Get(string host, string url, IReadOnlyDictionary<string, string>? header = null, CancellationToken cancellationToken = default) =>
        Request("GET", host, url, header, null, cancellationToken);

    /// <summary>A POST of a form, <c>application/x-www-form-urlencoded</c> (<c>httpc.post(host, url, form)</c>).</summary>
    /// <param name="host"><c>host[:port]</c> or with a scheme.</param>
    /// <param name="url">The path and query.</param>
    /// <param name="form">The form fields.</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    public Task<HttpcResponse> Post(string host, string url, IEnumerable<KeyValuePair<string, string>> form, CancellationToken cancellationToken = default) =>
        Request("POST", host, url, null, new FormUrlEncodedContent(form), cancellationToken);

    static void Collect(Dictionary<string, string> into, HttpHeaders headers)
    {
        foreach (var (name, values) in headers) into[name.ToLowerInvariant()] = string.Join(", ", values);
    }
}
