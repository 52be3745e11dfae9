namespace Skynet.Toolkit;

/// <summary>The parts of a <see cref="Snowflake"/> id (<see cref="Snowflake.Decode"/>).</summary>
/// <param name="Timestamp">When the id was made, to the layout's tick (later than the wall clock when the generator borrowed ticks).</param>
/// <param name="Ticks">The raw timestamp field: ticks since the epoch.</param>
/// <param name="Node">The node id.</param>
/// <param name="Worker">The worker id.</param>
/// <param name="Sequence">The sequence within the tick.</param>
public readonly record struct SnowflakeId(DateTimeOffset Timestamp, long Ticks, long Node, long Worker, long Sequence);
