using System.Buffers;
using System.Text.RegularExpressions;
using Skynet.ClusterWire;
using Skynet.Codecs;
using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.ClusterTests;

/// <summary>Every frame in <c>vectors/cluster.tsv</c> (computed with skynet's own lua-cluster.c), written and parsed back.</summary>
public sealed partial class WireVectorTests
{
    [GeneratedRegex("""^(?<fn>\w+)\((?<args>.*)\)$""")]
    private static partial Regex CallPattern();

    public static TheoryData<int, string, string> Rows()
    {
        var data = new TheoryData<int, string, string>();
        foreach (var (line, fields) in Vectors.ReadTsv("cluster.tsv")) data.Add(line, fields[0], fields[1]);
        return data;
    }

    [Fact]
    public void The_vector_file_has_every_frame_kind()
    {
        var calls = Vectors.ReadTsv("cluster.tsv").Select(r => r.Fields[0]).ToList();
        Assert.Equal(6, calls.Count);
        Assert.Contains(calls, c => c.StartsWith("packpush", StringComparison.Ordinal));
        Assert.Contains(calls, c => c.StartsWith("packtrace", StringComparison.Ordinal));
        Assert.Contains(calls, c => c.StartsWith("packresponse", StringComparison.Ordinal) && c.Contains("false", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Writes_and_reads_the_vector(int line, string call, string hex)
    {
        var expected = Convert.FromHexString(hex);
        var match = CallPattern().Match(call);
        Assert.True(match.Success, $"line {line}: cannot read '{call}'");
        var args = SplitArgs(match.Groups["args"].Value);
        var output = new ArrayBufferWriter<byte>();
        switch (match.Groups["fn"].Value)
        {
            case "packrequest":
            case "packpush":
            {
                var push = match.Groups["fn"].Value == "packpush";
                var target = ParseTarget(args[0]);
                var session = int.Parse(args[1]);
                var payload = ParsePayload(args[2]);
                ClusterFrames.WriteRequest(output, target, session, payload, push);
                Assert.Equal(hex, Convert.ToHexStringLower(output.WrittenSpan));
                var frame = ClusterRequestFrame.Parse(expected.AsSpan(2));
                Assert.Equal(ClusterRequestKind.Single, frame.Kind);
                Assert.Equal(target, frame.Target);
                Assert.Equal(push ? 0 : session, frame.Session);
                Assert.Equal(push, frame.IsPush);
                Assert.Equal(payload, frame.Payload.ToArray());
                break;
            }
            case "packresponse":
            {
                var session = int.Parse(args[0]);
                var ok = args[1] == "true";
                var payload = System.Text.Encoding.UTF8.GetBytes(Unquote(args[2]));
                ClusterFrames.WriteResponse(output, session, ok, payload);
                Assert.Equal(hex, Convert.ToHexStringLower(output.WrittenSpan));
                var frame = ClusterResponseFrame.Parse(expected.AsSpan(2));
                Assert.Equal(ok ? ClusterResponseKind.Ok : ClusterResponseKind.Error, frame.Kind);
                Assert.Equal(session, frame.Session);
                Assert.Equal(payload, frame.Payload.ToArray());
                break;
            }
            case "packtrace":
            {
                var tag = System.Text.Encoding.UTF8.GetBytes(Unquote(args[0]));
                ClusterFrames.WriteTrace(output, tag);
                Assert.Equal(hex, Convert.ToHexStringLower(output.WrittenSpan));
                var frame = ClusterRequestFrame.Parse(expected.AsSpan(2));
                Assert.Equal(ClusterRequestKind.Trace, frame.Kind);
                Assert.Equal(tag, frame.Payload.ToArray());
                break;
            }
            default:
                Assert.Fail($"line {line}: unknown call {call}");
                break;
        }
    }

    [Fact]
    public void Large_request_matches_the_vector_header_parts_and_tail()
    {
        // cluster.tsv: pack of 32778 'a' (32781 bytes), session 3, numeric address 5.
        var payload = SkynetPack.Pack(new string('a', 32778));
        Assert.Equal(32781, payload.Length);
        var output = new ArrayBufferWriter<byte>();
        Assert.True(ClusterFrames.WriteRequest(output, ClusterTarget.FromHandle(5), 3, payload));
        var bytes = output.WrittenSpan.ToArray();
        Assert.Equal(ClusterFrames.RequestSize(ClusterTarget.FromHandle(5), payload.Length), bytes.Length);
        Assert.Equal("000d01050000000300000" + "00d800000", Convert.ToHexStringLower(bytes.AsSpan(0, 15)));
        Assert.Equal("80050203000000", Convert.ToHexStringLower(bytes.AsSpan(15, 7)));
        Assert.Equal(payload.AsSpan(0, 32768).ToArray(), bytes.AsSpan(22, 32768).ToArray());
        var last = 22 + 32768;
        Assert.Equal("00120303000000", Convert.ToHexStringLower(bytes.AsSpan(last, 7)));
        Assert.Equal(payload.AsSpan(32768).ToArray(), bytes.AsSpan(last + 7).ToArray());
        Assert.Equal(last + 7 + 13, bytes.Length);
    }

    [Fact]
    public void Large_response_matches_the_vector_begin_part_and_end()
    {
        var payload = new byte[32778];
        new Random(7).NextBytes(payload);
        var output = new ArrayBufferWriter<byte>();
        ClusterFrames.WriteResponse(output, 4, true, payload);
        var bytes = output.WrittenSpan.ToArray();
        Assert.Equal(ClusterFrames.ResponseSize(true, payload.Length), bytes.Length);
        Assert.Equal("0009040000000" + "20a800000", Convert.ToHexStringLower(bytes.AsSpan(0, 11)));
        Assert.Equal("80050400000003", Convert.ToHexStringLower(bytes.AsSpan(11, 7)));
        var end = 11 + 7 + 32768;
        Assert.Equal("000f0400000004", Convert.ToHexStringLower(bytes.AsSpan(end, 7)));
        Assert.Equal(payload.AsSpan(32768).ToArray(), bytes.AsSpan(end + 7).ToArray());
    }

    [Theory]
    [InlineData(ClusterFrames.MultiPart - 1, false)]
    [InlineData(ClusterFrames.MultiPart, true)]
    public void A_request_splits_at_exactly_0x8000_bytes_as_skynet_does(int size, bool large) =>
        Assert.Equal(large, ClusterFrames.WriteRequest(new ArrayBufferWriter<byte>(), ClusterTarget.FromName("@db"), 1, new byte[size]));

    [Theory]
    [InlineData(ClusterFrames.MultiPart, 1)]
    [InlineData(ClusterFrames.MultiPart + 1, 3)]
    public void A_response_splits_only_above_0x8000_bytes(int size, int frames)
    {
        var output = new ArrayBufferWriter<byte>();
        ClusterFrames.WriteResponse(output, 9, true, new byte[size]);
        Assert.Equal(frames, CountFrames(output.WrittenSpan));
    }

    [Fact]
    public void An_error_message_is_cut_to_0x8000_bytes()
    {
        var output = new ArrayBufferWriter<byte>();
        ClusterFrames.WriteResponse(output, 9, false, new byte[100_000]);
        Assert.Equal(7 + ClusterFrames.MultiPart, output.WrittenCount);
    }

    [Fact]
    public void Large_named_push_round_trips_through_reader_and_assembler()
    {
        var payload = new byte[200_000];
        new Random(3).NextBytes(payload);
        var output = new ArrayBufferWriter<byte>();
        ClusterFrames.WriteRequest(output, ClusterTarget.FromName("@sdb"), 77, payload, push: true);
        var reader = new ClusterFrameReader();
        var assembler = new LargeMessageAssembler<(ClusterTarget, bool)>(1 << 20, 1 << 20);
        byte[]? result = null;
        ClusterTarget seen = default;
        // Feed in awkward chunk sizes so frames split across chunks, headers included.
        var stream = output.WrittenSpan.ToArray();
        for (var at = 0; at < stream.Length;)
        {
            var n = Math.Min(stream.Length - at, 1 + at % 7919);
            reader.Feed(stream.AsSpan(at, n), 0, (_, body) =>
            {
                var frame = ClusterRequestFrame.Parse(body);
                if (frame.Kind == ClusterRequestKind.LargeBegin)
                {
                    Assert.True(frame.IsPush);
                    Assert.Equal(77, frame.Session);
                    assembler.Begin(frame.Session, frame.TotalSize, (frame.Target, frame.IsPush));
                }
                else if (assembler.Append(frame.Session, frame.Payload, frame.Kind == ClusterRequestKind.LastPart, out var meta, out var message))
                {
                    seen = meta.Item1;
                    result = message.ToArray();
                }
            });
            at += n;
        }
        Assert.Equal(ClusterTarget.FromName("@sdb"), seen);
        Assert.Equal(payload, result);
        Assert.Equal(0, reader.BufferedBytes);
    }

    static int CountFrames(ReadOnlySpan<byte> stream)
    {
        var count = 0;
        while (stream.Length > 0)
        {
            var length = (stream[0] << 8) | stream[1];
            stream = stream[(2 + length)..];
            count++;
        }
        return count;
    }

    static List<string> SplitArgs(string text)
    {
        var args = new List<string>();
        var depth = 0;
        var inString = false;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"') inString = !inString;
            else if (!inString && c == '(') depth++;
            else if (!inString && c == ')') depth--;
            else if (!inString && depth == 0 && c == ',')
            {
                args.Add(text[start..i].Trim());
                start = i + 1;
            }
        }
        args.Add(text[start..].Trim());
        return args;
    }

    static string Unquote(string text) => text.StartsWith('"') ? text[1..^1] : throw new FormatException(text);

    static ClusterTarget ParseTarget(string text) =>
        text.StartsWith('"') ? ClusterTarget.FromName(Unquote(text)) : ClusterTarget.FromHandle(uint.Parse(text));

    static byte[] ParsePayload(string text) =>
        text.StartsWith("pack(", StringComparison.Ordinal) ? SkynetPack.Pack(Unquote(text[5..^1])) : System.Text.Encoding.UTF8.GetBytes(Unquote(text));
}
