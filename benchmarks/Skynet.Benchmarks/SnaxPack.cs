using System.Buffers;
using MemoryPack;

namespace Skynet.Benchmarks;

/// <summary>
/// snax_pack: the snax byte form of a typical request (a record with 6 fields and a list of 10) packed and unpacked,
/// against a plain <see cref="MemoryPackSerializer"/> round trip of the same value in the same run. The difference
/// is the framing (method id, argument object header) and the pooled MemoryPack states; the bytes are MemoryPack's.
/// </summary>
internal sealed class SnaxPack : Benchmark
{
    public override string Name => "snax_pack";

    public override Task RunAsync(Run run)
    {
        var rounds = run.Scale(1_000_000);
        var order = new PackOrder(42, "sword of the north", 3, 1999.5, true, DateTime.UnixEpoch, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        var request = PackSink.__RequestFor(order);
        var buffer = new ArrayBufferWriter<byte>(256);
        SnaxCodec.PackRequest<PackSink>(buffer, request);
        var snaxBytes = buffer.WrittenCount;
        buffer.ResetWrittenCount();
        MemoryPackSerializer.Serialize(buffer, order);
        var plainBytes = buffer.WrittenCount;
        Run.Check(snaxBytes == plainBytes + 5, $"the snax request is {snaxBytes} bytes; MemoryPack's value is {plainBytes} (+4 id +1 header expected)");

        // The host is shared: the two loops alternate in slices and each keeps its fastest slice, so a burst of
        // load elsewhere does not land on one side only.
        const int Slices = 10;
        var slice = Math.Max(1, rounds / Slices);
        double snaxBest = double.MaxValue, plainBest = double.MaxValue;
        Measured? snax = null, plain = null;
        for (var s = 0; s < Slices; s++)
        {
            var probe = Probe.Start();
            for (var i = 0; i < slice; i++)
            {
                buffer.ResetWrittenCount();
                SnaxCodec.PackRequest<PackSink>(buffer, request);
                var back = SnaxCodec.UnpackRequest<PackSink>(buffer.WrittenSpan);
                if (back.MethodId != request.MethodId) throw new BenchmarkFailedException("the snax request came back with another method id");
            }
            var measured = probe.Stop(slice);
            if (measured.Seconds < snaxBest) (snaxBest, snax) = (measured.Seconds, measured);

            probe = Probe.Start();
            for (var i = 0; i < slice; i++)
            {
                buffer.ResetWrittenCount();
                MemoryPackSerializer.Serialize(buffer, order);
                var back = MemoryPackSerializer.Deserialize<PackOrder>(buffer.WrittenSpan);
                if (back!.Id != order.Id) throw new BenchmarkFailedException("the MemoryPack round trip lost the value");
            }
            measured = probe.Stop(slice);
            if (measured.Seconds < plainBest) (plainBest, plain) = (measured.Seconds, measured);
        }

        run.Result(("bytes", snaxBytes), ("ns_per_roundtrip", snaxBest * 1e9 / slice),
            ("memorypack_bytes", plainBytes), ("memorypack_ns_per_roundtrip", plainBest * 1e9 / slice));
        snax!.Value.Report(run, "roundtrip");
        plain!.Value.Report(run, "roundtrip", "snax_pack_memorypack");
        return Task.CompletedTask;
    }
}

/// <summary>A typical message: six fields and a list of ten.</summary>
[MemoryPackable]
internal sealed partial record PackOrder(int Id, string Item, int Count, double Price, bool Gift, DateTime At, List<int> Lines);

/// <summary>The service whose request form is measured (never started: only its byte form is used).</summary>
[Service]
internal sealed partial class PackSink : Service
{
    [Response] public int Place(PackOrder order) => order.Id;

    /// <summary>The request message a proxy would build for <see cref="Place"/>.</summary>
    internal static SnaxMessage __RequestFor(PackOrder order) =>
        SnaxCodec.UnpackRequest<PackSink>([.. BitConverter.GetBytes(SnaxHotfix.Slots<PackSink>().Methods.Single(m => m.Name == "Place").Id), 1, .. MemoryPackSerializer.Serialize(order)]);
}
