using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Skynet.NameResolution;

/// <summary>
/// skynet's <c>skynet.dns</c>: resolves host names from services over UDP, with a cache that keeps each answer for
/// its records' TTL. IP literals come back as they are, the hosts file is consulted first, concurrent lookups of one
/// name share one query, a server that does not answer within <see cref="DnsResolverOptions.Timeout"/> is skipped
/// for the next one, and when none answers an expired cached answer is still returned (as skynet does).
/// </summary>
/// <remarks>Every wait is an awaited socket receive or timer: resolving never blocks a worker thread. Safe to share
/// between services (<see cref="Default"/> is the node-independent shared instance).</remarks>
public sealed partial class DnsResolver
{
    static readonly Lazy<DnsResolver> Shared = new(() => new DnsResolver(new DnsResolverOptions()));

    readonly DnsResolverOptions _options;
    readonly ConcurrentDictionary<(string, ushort), (IPAddress[] Addresses, long Expires)> _cache = new();
    readonly ConcurrentDictionary<(string, ushort), Task<IPAddress[]>> _inflight = new();
    readonly Lazy<IPEndPoint[]> _servers;
    readonly Lazy<Dictionary<string, List<IPAddress>>> _hosts;
    int _nextId = Random.Shared.Next(ushort.MaxValue);

    /// <summary>Creates a resolver.</summary>
    /// <param name="options">Servers, hosts file, timeout, TTL cap and clock.</param>
    public DnsResolver(DnsResolverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _servers = new(() => options.Servers.Count > 0 ? [.. options.Servers] : ReadResolvConf(options.ResolvConfFile));
        _hosts = new(() => ReadHosts(options.HostsFile));
    }

    /// <summary>The shared resolver with the system's servers and hosts file.</summary>
    public static DnsResolver Default => Shared.Value;

    /// <summary>
    /// Resolves <paramref name="name"/> (<c>dns.resolve(name, ipv6)</c>): the first address and all of them.
    /// </summary>
    /// <param name="name">A host name or an IP literal.</param>
    /// <param name="ipv6">Ask for AAAA records instead of A.</param>
    /// <param name="cancellationToken">Abandons the wait (the query itself finishes for the other waiters).</param>
    /// <exception cref="DnsException">Illegal name, no such name, no address, or no server answered.</exception>
    public async Task<(IPAddress Address, IPAddress[] All)> Resolve(string name, bool ipv6 = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        name = name.ToLowerInvariant();
        if (IPAddress.TryParse(name, out var literal))
        {
            if ((literal.AddressFamily == AddressFamily.InterNetworkV6) != ipv6) throw new DnsException($"dns: illegal ip address {name} for {(ipv6 ? "ipv6" : "ipv4")}");
            return (literal, [literal]);
        }
        if (name.Length > 253 || !HostName().IsMatch(name)) throw new DnsException($"dns: illegal name '{name}'");
        if (_hosts.Value.TryGetValue(name, out var local))
        {
            var family = local.Where(a => (a.AddressFamily == AddressFamily.InterNetworkV6) == ipv6).ToArray();
            if (family.Length > 0) return (family[0], family);
        }
        var type = ipv6 ? DnsMessage.TypeAaaa : DnsMessage.TypeA;
        var key = (name, type);
        var now = _options.TimeProvider.GetTimestamp();
        if (_cache.TryGetValue(key, out var cached) && cached.Expires > now) return (cached.Addresses[0], cached.Addresses);
        var task = _inflight.GetOrAdd(key, k => Query(k.Item1, k.Item2));
        try
        {
            var all = await task.WaitAsync(cancellationToken);
            return (all[0], all);
        }
        finally
        {
            if (task.IsCompleted) _inflight.TryRemove(new KeyValuePair<(string, ushort), Task<IPAddress[]>>(key, task));
        }
    }

    /// <summary>Forgets every cached answer (<c>dns.flush</c>).</summary>
    public void Flush() => _cache.Clear();

    async Task<IPAddress[]> Query(string name, ushort type)
    {
        Exception? last = null;
        foreach (var server in _servers.Value)
        {
            try
            {
                var (rcode, addresses, ttl) = await Ask(server, name, type);
                if (rcode == 3) throw new DnsException($"dns: {name} does not exist (NXDOMAIN from {server})");
                if (rcode != 0) throw new DnsException($"dns: {server} failed the query for {name} (rcode {rcode})");
                if (addresses.Count == 0) throw new DnsException($"dns: {name} has no {(type == DnsMessage.TypeA ? "A" : "AAAA")} record");
                var life = TimeSpan.FromSeconds(Math.Min(ttl, _options.MaxTtl.TotalSeconds));
                var all = addresses.ToArray();
                _cache[(name, type)] = (all, _options.TimeProvider.GetTimestamp() + (long)(life.TotalSeconds * _options.TimeProvider.TimestampFrequency));
                return all;
            }
            catch (Exception e) when (e is TimeoutException or SocketException)
            {
                last = e;
            }
        }
        // No server answered: an expired answer beats none (skynet's lookup_cache(name, qtype, true)).
        if (_cache.TryGetValue((name, type), out var stale)) return stale.Addresses;
        throw new DnsException(_servers.Value.Length == 0
            ? $"dns: no server to ask for {name} (none given and none in {_options.ResolvConfFile})"
            : $"dns: no answer for {name} from {string.Join(", ", (object[])_servers.Value)} ({last?.Message})", last);
    }

    async Task<(int, List<IPAddress>, uint)> Ask(IPEndPoint server, string name, ushort type)
    {
        var id = (ushort)Interlocked.Increment(ref _nextId);
        using var udp = new UdpClient(server.AddressFamily);
        udp.Connect(server);
        await udp.SendAsync(DnsMessage.Query(id, name, type));
        using var timeout = new CancellationTokenSource(_options.Timeout);
        DnsException? malformed = null;
        try
        {
            while (true)
            {
                var reply = await udp.ReceiveAsync(timeout.Token);
                try
                {
                    if (DnsMessage.Parse(reply.Buffer, id, name, type) is { } answer) return answer;
                }
                catch (DnsException e)
                {
                    malformed = e; // garbage (or a spoofing attempt) must not end the query: keep waiting for ours
                }
                // otherwise another query's answer: keep waiting for ours
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{server} did not answer within {_options.Timeout.TotalSeconds:0.###} s"
                + (malformed is null ? "" : $" (it sent a malformed packet: {malformed.Message})"));
        }
    }

    static IPEndPoint[] ReadResolvConf(string file)
    {
        if (!File.Exists(file)) return [];
        return File.ReadLines(file)
            .Select(line => line.Split('#')[0].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            .Where(words => words.Length >= 2 && words[0] == "nameserver" && IPAddress.TryParse(words[1], out _))
            .Select(words => new IPEndPoint(IPAddress.Parse(words[1]), 53))
            .ToArray();
    }

    static Dictionary<string, List<IPAddress>> ReadHosts(string? file)
    {
        var hosts = new Dictionary<string, List<IPAddress>>(StringComparer.Ordinal);
        if (file is null || !File.Exists(file)) return hosts;
        foreach (var raw in File.ReadLines(file))
        {
            var words = raw.Split(['#', ';'])[0].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 2 || !IPAddress.TryParse(words[0].Trim('[', ']'), out var ip)) continue;
            foreach (var host in words.Skip(1))
            {
                var key = host.ToLowerInvariant();
                if (!hosts.TryGetValue(key, out var list)) hosts[key] = list = [];
                list.Add(ip);
            }
        }
        return hosts;
    }

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$")]
    private static partial Regex HostName();
}
