namespace Skynet.Toolkit;

/// <summary>
/// How a <see cref="Snowflake"/> id spends its 63 usable bits, high to low: timestamp, node, worker, sequence; and what
/// one timestamp unit is and where time starts. The sign bit stays 0, so ids sort as positive <see cref="long"/>s.
/// </summary>
/// <param name="TimestampBits">Bits of the timestamp (ticks since <paramref name="Epoch"/>).</param>
/// <param name="NodeBits">Bits of the node id (a datacenter or skynet harbor).</param>
/// <param name="WorkerBits">Bits of the worker id (a generator within the node).</param>
/// <param name="SequenceBits">Bits of the per-tick sequence.</param>
/// <param name="Tick">The length of one timestamp unit.</param>
/// <param name="Epoch">Time zero of the timestamp.</param>
public sealed record SnowflakeLayout(int TimestampBits, int NodeBits, int WorkerBits, int SequenceBits, TimeSpan Tick, DateTimeOffset Epoch)
{
    /// <summary>Twitter's layout: 41 bits of milliseconds (69 years), 5 node bits, 5 worker bits, 12 sequence bits; epoch 2020-01-01 UTC.</summary>
    public static SnowflakeLayout Default { get; } = new(41, 5, 5, 12, TimeSpan.FromMilliseconds(1), new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>
    /// skynet-demo's <c>service/snowflake.lua</c>: 39 bits of 10 ms units (174 years), 12 machine bits (here: worker,
    /// with 0 node bits), 12 sequence bits; epoch 2021-09-09 (UTC here; skynet-demo uses local time).
    /// </summary>
    public static SnowflakeLayout SkynetDemo { get; } = new(39, 0, 12, 12, TimeSpan.FromMilliseconds(10), new DateTimeOffset(2021, 9, 9, 0, 0, 0, TimeSpan.Zero));

    /// <summary>The largest node id (2^NodeBits − 1).</summary>
    public long MaxNode => (1L << NodeBits) - 1;

    /// <summary>The largest worker id (2^WorkerBits − 1).</summary>
    public long MaxWorker => (1L << WorkerBits) - 1;

    /// <summary>Ids per tick before the generator borrows the next tick.</summary>
    public long SequencesPerTick => 1L << SequenceBits;

    /// <summary>Throws <see cref="ArgumentException"/> when the layout cannot work.</summary>
    public void Validate()
    {
        if (TimestampBits < 1 || SequenceBits < 1 || NodeBits < 0 || WorkerBits < 0)
            throw new ArgumentException($"A snowflake layout needs at least 1 timestamp bit and 1 sequence bit, and no negative widths; got {this}.");
        if (TimestampBits + NodeBits + WorkerBits + SequenceBits > 63)
            throw new ArgumentException($"A snowflake layout uses at most 63 bits (the sign bit stays 0); {this} uses {TimestampBits + NodeBits + WorkerBits + SequenceBits}.");
        if (Tick <= TimeSpan.Zero) throw new ArgumentException($"The tick must be positive; got {Tick}.");
    }
}
