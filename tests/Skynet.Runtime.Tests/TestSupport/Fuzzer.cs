using Skynet.Codecs;

namespace Skynet.Runtime.Tests.TestSupport;

/// <summary>
/// Deterministic decoder fuzzing: random inputs and mutations of valid seeds (bit flips, boundary bytes, hostile
/// int32 lengths, truncation, insertion, splicing). Every rejection must be a <see cref="PackException"/>, and no
/// single decode may allocate more than <see cref="AllocationLimit"/>, so a hostile length can never make the
/// decoder reserve memory it has no bytes for.
/// </summary>
internal sealed class Fuzzer(int seed)
{
    public const long AllocationLimit = 1 << 20;

    static readonly byte[] InterestingBytes = [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff, 250, 0x1f, 0x0e, 0x06, 0x15, 0x25];
    static readonly int[] InterestingInts = [int.MaxValue, int.MinValue, -1, -2, 0x10000000, 0x7fff, 0x10000, 1 << 24];

    readonly Random random = new(seed);

    public int Accepted { get; private set; }

    public int Rejected { get; private set; }

    /// <summary>Feeds <paramref name="iterations"/> inputs to <paramref name="decode"/>; returns the failures.</summary>
    public List<string> Run(int iterations, byte[][] seeds, Action<byte[]> decode)
    {
        var failures = new List<string>();
        foreach (byte[] s in seeds)
        {
            decode(s); // valid seeds must decode; also warms up JIT-time statics before allocations are measured
        }
        for (int i = 0; i < iterations; i++)
        {
            byte[] input = i % 4 == 0 ? RandomBytes() : Mutate(seeds[random.Next(seeds.Length)]);
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                decode(input);
                Accepted++;
            }
            catch (PackException)
            {
                Rejected++;
            }
            catch (Exception e)
            {
                failures.Add($"{e.GetType().Name} for {Convert.ToHexStringLower(input)}: {e.Message}");
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated > AllocationLimit)
            {
                failures.Add($"{allocated} bytes allocated for {input.Length}-byte input {Convert.ToHexStringLower(input)}");
            }
        }
        return failures;
    }

    byte[] RandomBytes()
    {
        var bytes = new byte[random.Next(0, 48)];
        random.NextBytes(bytes);
        return bytes;
    }

    byte[] Mutate(byte[] seed)
    {
        var data = new List<byte>(seed);
        int mutations = random.Next(1, 4);
        for (int m = 0; m < mutations; m++)
        {
            int at = data.Count == 0 ? 0 : random.Next(data.Count);
            switch (random.Next(7))
            {
                case 0 when data.Count > 0:
                    data[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when data.Count > 0:
                    data[at] = InterestingBytes[random.Next(InterestingBytes.Length)];
                    break;
                case 2 when data.Count >= 4:
                    at = random.Next(data.Count - 3);
                    byte[] value = BitConverter.GetBytes(InterestingInts[random.Next(InterestingInts.Length)]);
                    for (int k = 0; k < 4; k++)
                    {
                        data[at + k] = value[k];
                    }
                    break;
                case 3:
                    data.RemoveRange(at, data.Count - at);
                    break;
                case 4:
                    data.Insert(at, (byte)random.Next(256));
                    break;
                case 5 when data.Count > 0:
                    int length = random.Next(1, Math.Min(8, data.Count - at) + 1);
                    data.InsertRange(random.Next(data.Count), data.GetRange(at, length));
                    break;
                default:
                    if (data.Count > 0)
                    {
                        data.RemoveAt(at);
                    }
                    break;
            }
        }
        return [.. data];
    }
}
