namespace Skynet.Toolkit;

/// <summary>
/// A sorted set of members with scores, for leaderboards (skynet-demo's <c>zset.lua</c> over lua-zset, itself Redis's
/// zset): a skip list ordered by score, then by member, plus a dictionary from member to score. Ranks are 1-based;
/// rank 1 is the lowest score (<see cref="RevRank"/> counts from the highest). Updates and rank look-ups are O(log n).
/// </summary>
/// <typeparam name="TMember">The member type; ties of score are ordered by <see cref="MemberComparer"/>.</typeparam>
/// <remarks>Not thread-safe: a zset is the state of one service.</remarks>
public sealed class ZSet<TMember> where TMember : notnull
{
    const int MaxLevel = 32;
    const double LevelUp = 0.25;

    readonly Dictionary<TMember, double> _scores;
    readonly Node _head = new(default!, 0, MaxLevel);
    readonly Node?[] _update = new Node?[MaxLevel];
    readonly int[] _rank = new int[MaxLevel];
    readonly Random _random;
    Node? _tail;
    int _level = 1;
    int _length; // nodes in the list; differs from Count only inside Add's delete-and-insert

    /// <summary>Creates an empty set.</summary>
    /// <param name="memberComparer">Orders members of equal score; <see cref="Comparer{T}.Default"/> when null (ordinal for strings).</param>
    /// <param name="memberEquality">Identifies members; <see cref="EqualityComparer{T}.Default"/> when null.</param>
    /// <param name="random">The source of node levels (seed it for reproducible layouts); a shared one when null.</param>
    public ZSet(IComparer<TMember>? memberComparer = null, IEqualityComparer<TMember>? memberEquality = null, Random? random = null)
    {
        MemberComparer = memberComparer ?? (typeof(TMember) == typeof(string) ? (IComparer<TMember>)(object)StringComparer.Ordinal : Comparer<TMember>.Default);
        _scores = new Dictionary<TMember, double>(memberEquality);
        _random = random ?? Random.Shared;
    }

    /// <summary>Orders members of equal score.</summary>
    public IComparer<TMember> MemberComparer { get; }

    /// <summary>The number of members (skynet-demo's <c>count</c>).</summary>
    public int Count => _scores.Count;

    /// <summary>Adds a member or changes its score (skynet-demo's <c>add(score, member)</c>).</summary>
    /// <returns>True when the member is new.</returns>
    /// <exception cref="ArgumentException"><paramref name="score"/> is NaN.</exception>
    public bool Add(double score, TMember member)
    {
        if (double.IsNaN(score)) throw new ArgumentException("A zset score cannot be NaN.", nameof(score));
        if (_scores.TryGetValue(member, out var old))
        {
            if (old == score) return false;
            Delete(old, member);
            Insert(score, member);
            _scores[member] = score;
            return false;
        }
        Insert(score, member);
        _scores.Add(member, score);
        return true;
    }

    /// <summary>Removes a member (skynet-demo's <c>rem</c>).</summary>
    /// <returns>False when it was not there.</returns>
    public bool Remove(TMember member)
    {
        if (!_scores.Remove(member, out var score)) return false;
        Delete(score, member);
        return true;
    }

    /// <summary>The member's score, or null when it is not in the set.</summary>
    public double? Score(TMember member) => _scores.TryGetValue(member, out var score) ? score : null;

    /// <summary>The member's 1-based rank from the lowest score, or null when it is not in the set.</summary>
    public int? Rank(TMember member)
    {
        if (!_scores.TryGetValue(member, out var score)) return null;
        var rank = 0;
        var x = _head;
        for (var i = _level - 1; i >= 0; i--)
        {
            while (x.Next[i] is { } next && Compare(next, score, member) <= 0)
            {
                rank += x.Span[i];
                x = next;
            }
            if (x != _head && Compare(x, score, member) == 0) return rank;
        }
        return null; // unreachable while the dictionary and the list agree
    }

    /// <summary>The member's 1-based rank from the highest score, or null when it is not in the set.</summary>
    public int? RevRank(TMember member) => Rank(member) is { } rank ? Count - rank + 1 : null;

    /// <summary>The member at a 1-based rank from the lowest score, or null when the rank is out of range.</summary>
    public (TMember Member, double Score)? ByRank(int rank) => NodeAt(rank) is { } node ? (node.Member, node.Score) : null;

    /// <summary>The member at a 1-based rank from the highest score, or null when the rank is out of range.</summary>
    public (TMember Member, double Score)? ByRevRank(int rank) => ByRank(Count - rank + 1);

    /// <summary>
    /// The members from rank <paramref name="from"/> to rank <paramref name="to"/>, both included, in that direction:
    /// <c>Range(1, 10)</c> is the lowest ten ascending, <c>Range(10, 1)</c> the same ten descending (lua-zset's
    /// <c>get_rank_range</c>). Ranks below 1 count as 1, ranks past <see cref="Count"/> as <see cref="Count"/>.
    /// </summary>
    public List<TMember> Range(int from, int to)
    {
        var result = new List<TMember>();
        if (Count == 0) return result;
        from = Math.Clamp(from, 1, Count);
        to = Math.Clamp(to, 1, Count);
        var node = NodeAt(from);
        var reverse = from > to;
        for (var n = Math.Abs(to - from) + 1; n > 0 && node is not null; n--)
        {
            result.Add(node.Member);
            node = reverse ? node.Previous : node.Next[0];
        }
        return result;
    }

    /// <summary>Like <see cref="Range"/> with ranks counted from the highest score: <c>RevRange(1, 10)</c> is the top ten, best first.</summary>
    public List<TMember> RevRange(int from, int to)
    {
        if (Count == 0) return [];
        return Range(Count - Math.Clamp(from, 1, Count) + 1, Count - Math.Clamp(to, 1, Count) + 1);
    }

    /// <summary>
    /// The members whose score lies between <paramref name="from"/> and <paramref name="to"/>, both included, ascending
    /// when <paramref name="from"/> ≤ <paramref name="to"/>, descending otherwise (lua-zset's <c>get_score_range</c>).
    /// </summary>
    public List<TMember> RangeByScore(double from, double to)
    {
        var result = new List<TMember>();
        if (from <= to)
        {
            var x = _head;
            for (var i = _level - 1; i >= 0; i--)
                while (x.Next[i] is { } next && next.Score < from) x = next;
            for (var node = x.Next[0]; node is not null && node.Score <= to; node = node.Next[0]) result.Add(node.Member);
        }
        else
        {
            var x = _head;
            for (var i = _level - 1; i >= 0; i--)
                while (x.Next[i] is { } next && next.Score <= from) x = next;
            for (var node = x == _head ? null : x; node is not null && node.Score >= to; node = node.Previous) result.Add(node.Member);
        }
        return result;
    }

    /// <summary>
    /// Keeps the <paramref name="count"/> lowest-ranked members and removes the rest (skynet-demo's <c>limit</c>).
    /// </summary>
    /// <param name="count">How many to keep.</param>
    /// <param name="onRemoved">Called with each removed member.</param>
    /// <returns>How many were removed.</returns>
    public int Limit(int count, Action<TMember>? onRemoved = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var removed = 0;
        while (Count > count && _tail is { } last)
        {
            Remove(last.Member);
            onRemoved?.Invoke(last.Member);
            removed++;
        }
        return removed;
    }

    /// <summary>Keeps the <paramref name="count"/> highest-scored members and removes the rest (skynet-demo's <c>rev_limit</c>).</summary>
    public int RevLimit(int count, Action<TMember>? onRemoved = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var removed = 0;
        while (Count > count && _head.Next[0] is { } first)
        {
            Remove(first.Member);
            onRemoved?.Invoke(first.Member);
            removed++;
        }
        return removed;
    }

    // ---- the skip list (Redis's zskiplist: forward links with spans, one backward link) ---------------------

    sealed class Node(TMember member, double score, int level)
    {
        public readonly TMember Member = member;
        public readonly double Score = score;
        public readonly Node?[] Next = new Node?[level];
        public readonly int[] Span = new int[level];
        public Node? Previous;
    }

    int Compare(Node node, double score, TMember member)
    {
        var byScore = node.Score.CompareTo(score);
        return byScore != 0 ? byScore : MemberComparer.Compare(node.Member, member);
    }

    int RandomLevel()
    {
        var level = 1;
        while (level < MaxLevel && _random.NextDouble() < LevelUp) level++;
        return level;
    }

    void Insert(double score, TMember member)
    {
        var x = _head;
        for (var i = _level - 1; i >= 0; i--)
        {
            _rank[i] = i == _level - 1 ? 0 : _rank[i + 1];
            while (x.Next[i] is { } next && Compare(next, score, member) < 0)
            {
                _rank[i] += x.Span[i];
                x = next;
            }
            _update[i] = x;
        }
        var level = RandomLevel();
        if (level > _level)
        {
            for (var i = _level; i < level; i++)
            {
                _rank[i] = 0;
                _update[i] = _head;
                _head.Span[i] = _length;
            }
            _level = level;
        }
        var node = new Node(member, score, level);
        for (var i = 0; i < level; i++)
        {
            var before = _update[i]!;
            node.Next[i] = before.Next[i];
            before.Next[i] = node;
            node.Span[i] = before.Span[i] - (_rank[0] - _rank[i]);
            before.Span[i] = _rank[0] - _rank[i] + 1;
        }
        for (var i = level; i < _level; i++) _update[i]!.Span[i]++;
        _length++;
        node.Previous = _update[0] == _head ? null : _update[0];
        if (node.Next[0] is { } after) after.Previous = node;
        else _tail = node;
        Array.Clear(_update);
    }

    void Delete(double score, TMember member)
    {
        var x = _head;
        for (var i = _level - 1; i >= 0; i--)
        {
            while (x.Next[i] is { } next && Compare(next, score, member) < 0) x = next;
            _update[i] = x;
        }
        var node = x.Next[0];
        if (node is null || Compare(node, score, member) != 0) { Array.Clear(_update); return; }
        for (var i = 0; i < _level; i++)
        {
            var before = _update[i]!;
            if (before.Next[i] == node)
            {
                before.Span[i] += node.Span[i] - 1;
                before.Next[i] = node.Next[i];
            }
            else before.Span[i]--;
        }
        if (node.Next[0] is { } after) after.Previous = node.Previous;
        else _tail = node.Previous;
        while (_level > 1 && _head.Next[_level - 1] is null) _level--;
        _length--;
        Array.Clear(_update);
    }

    Node? NodeAt(int rank)
    {
        if (rank < 1 || rank > Count) return null;
        var traversed = 0;
        var x = _head;
        for (var i = _level - 1; i >= 0; i--)
        {
            while (x.Next[i] is { } next && traversed + x.Span[i] <= rank)
            {
                traversed += x.Span[i];
                x = next;
            }
            if (traversed == rank) return x;
        }
        return null;
    }
}
