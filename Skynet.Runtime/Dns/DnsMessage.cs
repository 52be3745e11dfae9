using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Skynet.NameResolution;

/// <summary>RFC 1035 queries and answers, as skynet's <c>dns.lua</c> packs and unpacks them: one question with RD
/// set, answers read for A/AAAA records (name compression followed, bounded), everything else skipped.</summary>
internal static class DnsMessage
{
    internal const ushort TypeA = 1;
    internal const ushort TypeAaaa = 28;
    const int MaxPacket = 2048;

    internal static byte[] Query(ushort id, string name, ushort type)
    {
        var packet = new List<byte>(32 + name.Length);
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(header, id);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], 0x0100); // RD
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], 1);      // qdcount
        packet.AddRange(header.ToArray());
        foreach (var label in name.Split('.'))
        {
            packet.Add((byte)label.Length);
            packet.AddRange(Encoding.ASCII.GetBytes(label));
        }
        packet.Add(0);
        packet.AddRange([(byte)(type >> 8), (byte)type, 0, 1]); // qtype, qclass IN
        return [.. packet];
    }

    /// <summary>The answer to <paramref name="id"/>/<paramref name="name"/>, or null when the packet is another one's.</summary>
    internal static (int RCode, List<IPAddress> Addresses, uint Ttl)? Parse(ReadOnlySpan<byte> packet, ushort id, string name, ushort type)
    {
        if (packet.Length is < 12 or > MaxPacket) throw new DnsException($"dns: an answer of {packet.Length} bytes is malformed");
        if (BinaryPrimitives.ReadUInt16BigEndian(packet) != id) return null;
        var flags = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        if ((flags & 0x8000) == 0) return null; // a query, not a response
        var qd = BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
        var an = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]);
        if (qd != 1) throw new DnsException("dns: malformed packet (qdcount is not 1)");
        var at = 12;
        var question = ReadName(packet, ref at);
        if (at + 4 > packet.Length) throw new DnsException("dns: truncated question");
        if (!string.Equals(question, name, StringComparison.OrdinalIgnoreCase)) return null;
        at += 4;
        var addresses = new List<IPAddress>();
        uint ttl = uint.MaxValue;
        for (var i = 0; i < an; i++)
        {
            ReadName(packet, ref at);
            if (at + 10 > packet.Length) throw new DnsException("dns: truncated answer");
            var atype = BinaryPrimitives.ReadUInt16BigEndian(packet[at..]);
            var recordTtl = BinaryPrimitives.ReadUInt32BigEndian(packet[(at + 4)..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(packet[(at + 8)..]);
            at += 10;
            if (at + length > packet.Length) throw new DnsException("dns: truncated record data");
            var rdata = packet.Slice(at, length);
            at += length;
            if (atype != type) continue; // CNAMEs and others: the server follows the chain for us and sends the addresses too
            if ((atype == TypeA && length != 4) || (atype == TypeAaaa && length != 16)) throw new DnsException($"dns: an address record of {length} bytes");
            addresses.Add(new IPAddress(rdata));
            ttl = Math.Min(ttl, recordTtl);
        }
        return (flags & 0xf, addresses, ttl);
    }

    static string ReadName(ReadOnlySpan<byte> packet, ref int at)
    {
        var labels = new StringBuilder();
        var pos = at;
        var jumped = false;
        for (var hops = 0; ; hops++)
        {
            if (hops > 128 || pos >= packet.Length) throw new DnsException("dns: malformed name");
            int len = packet[pos];
            if (len == 0)
            {
                if (!jumped) at = pos + 1;
                break;
            }
            if ((len & 0xc0) == 0xc0)
            {
                if (pos + 1 >= packet.Length) throw new DnsException("dns: truncated name pointer");
                if (!jumped) at = pos + 2;
                jumped = true;
                pos = (len & 0x3f) << 8 | packet[pos + 1];
                continue;
            }
            if (pos + 1 + len > packet.Length) throw new DnsException("dns: truncated label");
            if (labels.Length > 0) labels.Append('.');
            labels.Append(Encoding.ASCII.GetString(packet.Slice(pos + 1, len)));
            pos += 1 + len;
        }
        return labels.ToString();
    }
}
