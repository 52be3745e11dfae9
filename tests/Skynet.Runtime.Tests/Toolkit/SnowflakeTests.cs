using Microsoft.Extensions.Time.Testing;
using Skynet.Toolkit;

namespace Skynet.Runtime.Tests.Toolkit;

public class SnowflakeTests
{
    static readonly DateTimeOffset Start = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void Ids_increase_and_decode_to_their_fields()
    {
        var time = new FakeTimeProvider(Start);
        var generator = new Snowflake(node: 3, worker: 17, time: time);
        var previous = 0L;
        for (var i = 0; i < 10_000; i++)
        {
            if (i % 100 == 0) time.Advance(TimeSpan.FromMilliseconds(1));
            var id = generator.NextId();
            Assert.True(id > previous);
            previous = id;
            var parts = generator.Decode(id);
            Assert.Equal(3, parts.Node);
            Assert.Equal(17, parts.Worker);
            Assert.Equal(time.GetUtcNow(), parts.Timestamp);
            Assert.Equal(i % 100, parts.Sequence); // a new tick starts the sequence at 0
        }
        Assert.Equal(previous, generator.LastId);
    }

    [Fact]
    public void A_clock_that_steps_backwards_neither_fails_nor_repeats_an_id()
    {
        var time = new FakeTimeProvider(Start);
        var generator = new Snowflake(1, 1, time: time);
        var before = generator.NextId();
        var second = generator.NextId();

        time.AdjustTime(Start - TimeSpan.FromMinutes(5)); // NTP steps the wall clock back
        var during = Enumerable.Range(0, 1000).Select(_ => generator.NextId()).ToArray();

        Assert.True(during[0] > second);
        Assert.Equal(during.Order(), during);
        Assert.Equal(during.Length, during.Distinct().Count());
        Assert.True(generator.Decode(during[^1]).Timestamp >= generator.Decode(before).Timestamp); // the logical clock did not go back

        time.AdjustTime(Start + TimeSpan.FromSeconds(1)); // the wall clock passes the logical one again
        var after = generator.NextId();
        Assert.True(after > during[^1]);
        Assert.Equal(Start + TimeSpan.FromSeconds(1), generator.Decode(after).Timestamp);
        Assert.Equal(0, generator.Decode(after).Sequence);
    }

    [Fact]
    public void A_used_up_sequence_borrows_the_next_tick_instead_of_waiting()
    {
        var layout = SnowflakeLayout.Default with { SequenceBits = 4 };
        var time = new FakeTimeProvider(Start); // frozen: the wall clock never reaches the next tick
        var generator = new Snowflake(0, 0, layout, time);
        var ids = Enumerable.Range(0, 40).Select(_ => generator.NextId()).ToArray();

        Assert.Equal(ids.Order(), ids);
        var first = generator.Decode(ids[0]).Ticks;
        for (var i = 0; i < ids.Length; i++)
        {
            var parts = generator.Decode(ids[i]);
            Assert.Equal(first + i / 16, parts.Ticks);
            Assert.Equal(i % 16, parts.Sequence);
        }
    }

    [Fact]
    public void The_epoch_tick_and_bit_layout_are_configurable()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2021, 9, 9, 0, 0, 1, 230, TimeSpan.Zero));
        var generator = new Snowflake(0, 4095, SnowflakeLayout.SkynetDemo, time);
        var id = generator.NextId();

        // skynet-demo: (10 ms units since 2021-09-09) << 24 | machine << 12 | sequence
        Assert.Equal((123L << 24) | (4095L << 12), id);
        Assert.Equal(4095, generator.Decode(id).Worker);

        var custom = new SnowflakeLayout(30, 3, 2, 20, TimeSpan.FromSeconds(1), Start);
        var second = new Snowflake(5, 3, custom, new FakeTimeProvider(Start + TimeSpan.FromSeconds(7)));
        var parts = second.Decode(second.NextId());
        Assert.Equal((7L, 5L, 3L, 0L), (parts.Ticks, parts.Node, parts.Worker, parts.Sequence));
    }

    [Fact]
    public void A_generator_given_its_last_id_continues_after_it_even_on_an_earlier_clock()
    {
        var time = new FakeTimeProvider(Start);
        var first = new Snowflake(2, 2, time: time);
        for (var i = 0; i < 5; i++) first.NextId();
        var last = first.LastId;

        time.AdjustTime(Start - TimeSpan.FromHours(1));
        var restarted = new Snowflake(2, 2, time: time, lastId: last);

        Assert.True(restarted.NextId() > last);
    }

    [Fact]
    public void Concurrent_callers_never_get_the_same_id()
    {
        var generator = new Snowflake(1, 2);
        var results = new long[4][];
        Parallel.For(0, 4, t =>
        {
            var mine = new long[50_000];
            for (var i = 0; i < mine.Length; i++) mine[i] = generator.NextId();
            results[t] = mine;
        });
        foreach (var mine in results) Assert.Equal(mine.Order(), mine); // each caller sees increasing ids
        Assert.Equal(200_000, results.SelectMany(r => r).Distinct().Count());
    }

    [Fact]
    public void Bad_layouts_ids_and_clocks_get_clear_errors()
    {
        Assert.Throws<ArgumentException>(() => new Snowflake(0, 0, new SnowflakeLayout(41, 10, 10, 12, TimeSpan.FromMilliseconds(1), Start)));
        Assert.Throws<ArgumentException>(() => new Snowflake(0, 0, SnowflakeLayout.Default with { SequenceBits = 0 }));
        Assert.Throws<ArgumentException>(() => new Snowflake(0, 0, SnowflakeLayout.Default with { Tick = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Snowflake(32, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Snowflake(0, -1));
        var early = new Snowflake(0, 0, time: new FakeTimeProvider(new DateTimeOffset(2019, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.Contains("before the snowflake epoch", Assert.Throws<InvalidOperationException>(() => early.NextId()).Message);
        var small = new Snowflake(0, 0, SnowflakeLayout.Default with { TimestampBits = 8 }, new FakeTimeProvider(Start));
        Assert.Contains("is full", Assert.Throws<InvalidOperationException>(() => small.NextId()).Message);
    }
}
