using System.Net;

namespace Skynet.NameResolution;

/// <summary>How a <see cref="DnsResolver"/> resolves (skynet's <c>dns.server</c>, <c>dns.DEFAULT_HOSTS</c>).</summary>
public sealed class DnsResolverOptions
{
    /// <summary>The DNS servers to ask, in order; empty reads the <c>nameserver</c> lines of
    /// <see cref="ResolvConfFile"/>.</summary>
    public IList<IPEndPoint> Servers { get; set; } = [];

    /// <summary>Where the system lists its DNS servers.</summary>
    public string ResolvConfFile { get; set; } = "/etc/resolv.conf";

    /// <summary>The static table consulted first (skynet's <c>dns.DEFAULT_HOSTS</c>); null for none.</summary>
    public string? HostsFile { get; set; } = "/etc/hosts";

    /// <summary>How long to wait for one server before asking the next (skynet waits 30 s).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>An answer is cached for its records' smallest TTL, but never longer than this.</summary>
    public TimeSpan MaxTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The clock for TTLs (the node's, so tests can move it).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
