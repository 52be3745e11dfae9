namespace Skynet.Http;

/// <summary>Where <see cref="HttpServer"/> listens and how it routes.</summary>
public sealed class HttpServerOptions
{
    /// <summary>The address to bind (an IP; <c>0.0.0.0</c> for every interface).</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The port; 0 picks a free one (the <c>open</c> command replies with the bound port).</summary>
    public int Port { get; set; }

    /// <summary>The routes.</summary>
    public IList<HttpRoute> Routes { get; set; } = [];

    /// <summary>Larger bodies get 413 (skynet's simpleweb limits bodies to 8192 bytes).</summary>
    public long MaxRequestBodySize { get; set; } = 8192;

    /// <summary>How long a service may take to reply before the client gets 504.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
