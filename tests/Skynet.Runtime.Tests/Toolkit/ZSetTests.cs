using Skynet.Toolkit;

namespace Skynet.Runtime.Tests.Toolkit;

public class ZSetTests
{
    [Fact]
    public void A_small_leaderboard_reads_as_skynet_demo_describes()
    {
        var zset = new ZSet<string>();
        Assert.True(zset.Add(10, "ann"));
        Assert.True(zset.Add(30, "bob"));
        Assert.True(zset.Add(20, "cid"));
        Assert.True(zset.Add(20, "abe")); // a score tie: ordered by member
        Assert.False(zset.Add(40, "ann")); // an update moves ann to the top

        Assert.Equal(4, zset.Count);
        Assert.Equal(["abe", "cid", "bob", "ann"], zset.Range(1, 4));
        Assert.Equal(["ann", "bob", "cid", "abe"], zset.Range(4, 1));
        Assert.Equal(["ann", "bob"], zset.RevRange(1, 2));
        Assert.Equal(1, zset.RevRank("ann"));
        Assert.Equal(4, zset.Rank("ann"));
        Assert.Equal(40, zset.Score("ann"));
        Assert.Null(zset.Rank("nobody"));
        Assert.Null(zset.Score("nobody"));
        Assert.Equal(["abe", "cid", "bob"], zset.RangeByScore(15, 30));
        Assert.Equal(["bob", "cid", "abe"], zset.RangeByScore(30, 15));
        Assert.Equal(("bob", 30.0), zset.ByRank(3));
        Assert.Equal(("ann", 40.0), zset.ByRevRank(1));
        Assert.Null(zset.ByRank(5));

        var trimmed = new List<string>();
        Assert.Equal(2, zset.RevLimit(2, trimmed.Add)); // keep the top two
        Assert.Equal(["abe", "cid"], trimmed);
        Assert.Equal(["bob", "ann"], zset.Range(1, 10));
        Assert.Equal(1, zset.Limit(1)); // keep the lowest one
        Assert.Equal(["bob"], zset.Range(1, 10));
        Assert.True(zset.Remove("bob"));
        Assert.False(zset.Remove("bob"));
        Assert.Empty(zset.Range(1, 10));
        Assert.Throws<ArgumentException>(() => zset.Add(double.NaN, "x"));
    }

    [Fact]
    public void Random_operations_agree_with_a_naive_model()
    {
        var random = new Random(20261129);
        var zset = new ZSet<string>(random: new Random(7));
        var model = new Dictionary<string, double>();
        List<string> Sorted() => [.. model.OrderBy(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key)];

        for (var step = 0; step < 20_000; step++)
        {
            var member = "m" + random.Next(300);
            switch (random.Next(10))
            {
                case < 5:
                    var score = random.Next(50) / 2.0; // few distinct scores: many ties
                    Assert.Equal(!model.ContainsKey(member), zset.Add(score, member));
                    model[member] = score;
                    break;
                case < 7:
                    Assert.Equal(model.Remove(member), zset.Remove(member));
                    break;
                case 7 when random.Next(50) == 0:
                    var keep = random.Next(model.Count + 1);
                    var expectedGone = Sorted().Skip(keep).ToList();
                    var gone = new List<string>();
                    Assert.Equal(expectedGone.Count, zset.Limit(keep, gone.Add));
                    Assert.Equal(expectedGone.AsEnumerable().Reverse(), gone);
                    foreach (var m in expectedGone) model.Remove(m);
                    break;
                case 8 when random.Next(50) == 0:
                    var top = random.Next(model.Count + 1);
                    var lowest = Sorted().Take(model.Count - top).ToList();
                    Assert.Equal(lowest.Count, zset.RevLimit(top));
                    foreach (var m in lowest) model.Remove(m);
                    break;
                default:
                    var sorted = Sorted();
                    Assert.Equal(model.Count, zset.Count);
                    Assert.Equal(model.TryGetValue(member, out var s) ? s : null, zset.Score(member));
                    var rank = sorted.IndexOf(member);
                    Assert.Equal(rank < 0 ? null : rank + 1, zset.Rank(member));
                    Assert.Equal(rank < 0 ? null : sorted.Count - rank, zset.RevRank(member));
                    var a = random.Next(-2, sorted.Count + 3);
                    var b = random.Next(-2, sorted.Count + 3);
                    Assert.Equal(ModelRange(sorted, a, b), zset.Range(a, b));
                    Assert.Equal(ModelRange(sorted, sorted.Count - Math.Clamp(a, 1, Math.Max(sorted.Count, 1)) + 1, sorted.Count - Math.Clamp(b, 1, Math.Max(sorted.Count, 1)) + 1), zset.RevRange(a, b));
                    var lo = random.Next(-2, 28) / 2.0;
                    var hi = random.Next(-2, 28) / 2.0;
                    var byScore = sorted.Where(m => model[m] >= Math.Min(lo, hi) && model[m] <= Math.Max(lo, hi)).ToList();
                    if (lo > hi) byScore.Reverse();
                    Assert.Equal(byScore, zset.RangeByScore(lo, hi));
                    var r = random.Next(0, sorted.Count + 2);
                    Assert.Equal(r >= 1 && r <= sorted.Count ? sorted[r - 1] : null, zset.ByRank(r)?.Member);
                    break;
            }
        }
        Assert.Equal(Sorted(), zset.Range(1, zset.Count));
    }

    static List<string> ModelRange(List<string> sorted, int from, int to)
    {
        if (sorted.Count == 0) return [];
        from = Math.Clamp(from, 1, sorted.Count);
        to = Math.Clamp(to, 1, sorted.Count);
        var slice = sorted.Skip(Math.Min(from, to) - 1).Take(Math.Abs(to - from) + 1).ToList();
        if (from > to) slice.Reverse();
        return slice;
    }

    [Fact]
    public void A_large_set_built_in_random_order_answers_ranks_exactly()
    {
        // Structure check, not a timing: a 100 000-member set built in random order answers ranks exactly.
        var zset = new ZSet<int>(random: new Random(1));
        var order = Enumerable.Range(0, 100_000).OrderBy(_ => Random.Shared.Next()).ToArray();
        foreach (var i in order) zset.Add(i, i);
        for (var i = 0; i < 100_000; i += 997)
        {
            Assert.Equal(i + 1, zset.Rank(i));
            Assert.Equal(i, zset.ByRank(i + 1)!.Value.Member);
        }
        Assert.Equal([99_999, 99_998, 99_997], zset.RevRange(1, 3));
    }
}
