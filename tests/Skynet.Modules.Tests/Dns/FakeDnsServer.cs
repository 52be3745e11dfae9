using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Skynet.Modules.Tests.Dns;

/// <summary>A DNS server on 127.0.0.1 (UDP, port 0) answering A/AAAA queries from a table, with TTLs; unknown
/// names get NXDOMAIN. It can stay silent, and can send a garbage packet before each real answer.</summary>
internal sealed class FakeDnsServer : IDisposable
{
    readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    readonly CancellationTokenSource _stop = new();
    int _queries;

    public FakeDnsServer() => _ = Loop();

    public IPEndPoint EndPoint => (IPEndPoint)_udp.Client.LocalEndPoint!;

    public Dictionary<string, (IPAddress[] Addresses, uint Ttl)> Records { get; } = new(StringComparer.OrdinalIgnoreCase);

    public bool Silent { get; set; }

    public bool GarbageFirst { get; set; }

    public int Queries => Volatile.Read(ref _queries);

    /// <summary>Completes when a query arrives while <see cref="Silent"/>.</summary>
    public TaskCompletionSource IgnoredQuery { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    async Task Loop()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult query;
            try { query = await _udp.ReceiveAsync(_stop.Token); }
            catch (Exception) { return; }
            Interlocked.Increment(ref _queries);
            if (Silent)
            {
                IgnoredQuery.TrySetResult();
                continue;
            }
            if (GarbageFirst) await _udp.SendAsync(new byte[] { query.Buffer[0], query.Buffer[1], 0x81, 0x80, 0, 1, 0, 1, 0xc0 }, query.RemoteEndPoint);
            await _udp.SendAsync(Answer(query.Buffer), query.RemoteEndPoint);
        }
    }

    byte[] Answer(byte[] query)
    {
        var at = 12;
        var labels = new List<string>();
        while (query[at] != 0)
        {
            labels.Add(Encoding.ASCII.GetString(query, at + 1, query[at]));
            at += 1 + query[at];
        }
        var questionEnd = at + 5;
        var type = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(at + 1));
        var name = string.Join('.', labels);
        var answer = new List<byte>(query[..questionEnd]);
        var found = Records.TryGetValue(name, out var record);
        var matches = found ? record.Addresses.Where(a => (a.AddressFamily == AddressFamily.InterNetworkV6) == (type == 28)).ToArray() : [];
        answer[2] = 0x81;
        answer[3] = (byte)(found ? 0x80 : 0x83); // RA, rcode 0 or NXDOMAIN
        answer[6] = 0;
        answer[7] = (byte)(matches.Length + (found ? 1 : 0));
        if (found)
        {
            // A CNAME record first (skipped by the resolver), then the addresses; names compressed to the question.
            answer.AddRange([0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 2, 0xc0, 12]);
            foreach (var a in matches)
            {
                var bytes = a.GetAddressBytes();
                answer.AddRange([0xc0, 12, 0, (byte)type, 0, 1]);
                answer.AddRange([(byte)(record.Ttl >> 24), (byte)(record.Ttl >> 16), (byte)(record.Ttl >> 8), (byte)record.Ttl]);
                answer.AddRange([0, (byte)bytes.Length]);
                answer.AddRange(bytes);
            }
        }
        return [.. answer];
    }

    public void Dispose()
    {
        _stop.Cancel();
        _udp.Dispose();
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock : TimeProvider
{
    long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Volatile.Read(ref _ticks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
