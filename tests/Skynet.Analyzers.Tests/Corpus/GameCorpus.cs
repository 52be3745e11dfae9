namespace Skynet.Analyzers.Tests.Corpus;

/// <summary>Whether a corpus case has a real race (another message of the service can break it at the await).</summary>
public enum Truth { Race, Safe }

/// <summary>
/// One handler of a realistic game service. <see cref="Source"/> marks with <c>[|...|]</c> where SKY1001 reports
/// today; <see cref="Truth"/> is what a reviewer says the code is. A race without marks is a false negative, a safe
/// case with marks a false positive: both are listed in docs/diagnostics/README.md.
/// </summary>
public sealed record CorpusCase(string Name, Truth Truth, string Source)
{
    public override string ToString() => Name;
}

/// <summary>Inventory, matchmaking, bank and room join/leave services as a game team writes them.</summary>
public static class GameCorpus
{
    const string Shared = """
        using System.Linq;
        public sealed class Item { public int Id; public int Count; }
        public sealed class Wallet { public int Gold; public int Diamonds; }
        public sealed class Member { public int Uid; public string Name = ""; public bool Ready; }

        """;

    static CorpusCase Case(string name, Truth truth, string members) => new(name, truth, Shared + $$"""
        public partial class {{name}} : Service
        {
            const int Capacity = 30;
            const int MaxPlayers = 4;
            readonly CriticalSection _lock = new();
            readonly Dictionary<int, Item> _bag = new();
            readonly Wallet _wallet = new();
            readonly List<int> _waiting = new();
            readonly HashSet<int> _searching = new();
            readonly Dictionary<int, long> _accounts = new();
            readonly Dictionary<int, Member> _members = new();
            long _total;
            int _reserved;
            bool _closed;
            Address _db, _shop, _battle, _audit;

            async ValueTask Broadcast(string what, int uid) => await Call(_db, "broadcast", what, uid);
            void AddMember(int uid, Member m) => _members.Add(uid, m);
        {{members}}
        }
        """);

    public static IReadOnlyList<CorpusCase> Cases { get; } =
    [
        // ---- inventory ----
        Case("InventoryBuyRace", Truth.Race, """
            async ValueTask<bool> Buy(int itemId)
            {
                if (_bag.Count + _reserved >= Capacity) return false;
                var price = (int)(await Call(_shop, "price", itemId))!;
                [|_bag.Add(itemId, new Item { Id = itemId, Count = 1 })|];
                return true;
            }
            """),
        Case("InventoryUseRace", Truth.Race, """
            async ValueTask Use(int slot)
            {
                if (!_bag.TryGetValue(slot, out var item)) return;
                await Call(_db, "apply-effect", item.Id);
                [|_bag.Remove(slot)|];
            }
            """),
        Case("InventoryGoldRace", Truth.Race, """
            async ValueTask<bool> Pay(int price)
            {
                if (_wallet.Gold < price) return false;
                await Call(_shop, "reserve", price);
                [|_wallet.Gold|] -= price;
                return true;
            }
            """),
        // The seat is claimed through _reserved, a different field: SKY1001 cannot see that it guards _bag (false positive).
        Case("InventoryBuySafe", Truth.Safe, """
            async ValueTask<bool> Buy(int itemId)
            {
                if (_bag.Count + _reserved >= Capacity) return false;
                _reserved++;
                try
                {
                    var price = (int)(await Call(_shop, "price", itemId))!;
                    [|_bag[itemId]|] = new Item { Id = itemId, Count = 1 };
                    return true;
                }
                finally { _reserved--; }
            }
            """),
        Case("InventoryUseSafe", Truth.Safe, """
            async ValueTask Use(int slot)
            {
                if (!_bag.Remove(slot, out var item)) return;
                await Call(_db, "apply-effect", item.Id);
            }
            """),
        Case("InventoryGoldSafe", Truth.Safe, """
            async ValueTask<bool> Pay(int price)
            {
                if (_wallet.Gold < price) return false;
                _wallet.Gold -= price;
                try { await Call(_shop, "reserve", price); }
                catch { _wallet.Gold += price; throw; }
                return true;
            }
            """),

        // ---- matchmaking ----
        Case("MatchStartRace", Truth.Race, """
            async ValueTask TryStart()
            {
                if (_waiting.Count < MaxPlayers) return;
                var room = await Call(_battle, "create-room");
                [|_waiting.RemoveRange(0, MaxPlayers)|];
            }
            """),
        Case("MatchCancelRace", Truth.Race, """
            async ValueTask Cancel(int uid)
            {
                if (!_searching.Contains(uid)) return;
                await Call(_battle, "cancel", uid);
                [|_searching.Remove(uid)|];
            }
            """),
        Case("MatchEnqueueAliasRace", Truth.Race, """
            async ValueTask Enqueue(int uid)
            {
                var queue = _waiting;
                if (queue.Contains(uid)) return;
                var rating = await Call(_db, "rating", uid);
                [|queue.Add(uid)|];
            }
            """),
        // Re-reading the queue after the await counts as a re-check, though Take(4) does not check the count again.
        Case("MatchStartReReadRace", Truth.Race, """
            async ValueTask TryStart()
            {
                if (_waiting.Count < MaxPlayers) return;
                var room = await Call(_battle, "create-room");
                var group = _waiting.Take(MaxPlayers).ToList();
                _waiting.RemoveRange(0, MaxPlayers);
            }
            """),
        Case("MatchStartSafe", Truth.Safe, """
            async ValueTask TryStart()
            {
                if (_waiting.Count < MaxPlayers) return;
                var group = _waiting.GetRange(0, MaxPlayers);
                _waiting.RemoveRange(0, MaxPlayers);
                await Call(_battle, "create-room", group);
            }
            """),
        Case("MatchTickSafe", Truth.Safe, """
            void StartTicker() => Fork(async () =>
            {
                while (!_closed)
                {
                    await Sleep(TimeSpan.FromSeconds(1));
                    if (_waiting.Count >= MaxPlayers) _waiting.RemoveRange(0, MaxPlayers);
                }
            });
            """),
        Case("MatchCancelSafe", Truth.Safe, """
            async ValueTask Cancel(int uid)
            {
                if (!_searching.Remove(uid)) return;
                await Call(_battle, "cancel", uid);
            }
            """),

        // ---- bank ----
        Case("BankTransferRace", Truth.Race, """
            async ValueTask<bool> Transfer(int from, int to, long amount)
            {
                var balance = _accounts[from];
                if (balance < amount) return false;
                await Call(_audit, "transfer", from, to, amount);
                [|_accounts[from]|] = balance - amount;
                _accounts[to] += amount; // one report per collection and await: the first write consumes the stale read
                return true;
            }
            """),
        Case("BankTotalRace", Truth.Race, """
            async ValueTask Deposit(int id, long amount)
            {
                var before = _total;
                await Call(_audit, "deposit", id, amount);
                [|_total|] = before + amount;
            }
            """),
        Case("BankTransferLockedSafe", Truth.Safe, """
            ValueTask<bool> Transfer(int from, int to, long amount) => _lock.Run(async () =>
            {
                var balance = _accounts[from];
                if (balance < amount) return false;
                await Call(_audit, "transfer", from, to, amount);
                _accounts[from] = balance - amount;
                _accounts[to] += amount;
                return true;
            });
            """),
        Case("BankTransferDebitFirstSafe", Truth.Safe, """
            async ValueTask<bool> Transfer(int from, int to, long amount)
            {
                if (_accounts[from] < amount) return false;
                _accounts[from] -= amount;
                try { await Call(_audit, "transfer", from, to, amount); }
                catch { _accounts[from] += amount; throw; }
                _accounts[to] = _accounts.GetValueOrDefault(to) + amount;
                return true;
            }
            """),
        Case("BankInterestSafe", Truth.Safe, """
            async ValueTask Interest()
            {
                var rate = (double)(await Call(_audit, "rate"))!;
                foreach (var id in _accounts.Keys.ToList()) _accounts[id] = (long)(_accounts[id] * (1 + rate));
                _total = _accounts.Values.Sum();
            }
            """),

        // ---- room join/leave ----
        Case("RoomJoinRace", Truth.Race, """
            async ValueTask<bool> Join(int uid)
            {
                if (_closed || _members.Count >= MaxPlayers) return false;
                var name = (string)(await Call(_db, "name", uid))!;
                [|_members.Add(uid, new Member { Uid = uid, Name = name })|];
                return true;
            }
            """),
        Case("RoomLeaveRace", Truth.Race, """
            async ValueTask Leave(int uid)
            {
                if (!_members.TryGetValue(uid, out var member)) return;
                await Broadcast("leave", member.Uid);
                [|_members.Remove(uid)|];
                if (_members.Count == 0) _closed = true;
            }
            """),
        Case("RoomReadyRace", Truth.Race, """
            async ValueTask Ready(int uid)
            {
                var member = _members[uid];
                if (member.Ready) return;
                await Broadcast("ready", uid);
                member.Ready = true;
            }
            """),
        // The write is in another method: SKY1001 is not interprocedural.
        Case("RoomJoinThroughHelperRace", Truth.Race, """
            async ValueTask Join(int uid)
            {
                if (_members.Count >= MaxPlayers) return;
                var name = (string)(await Call(_db, "name", uid))!;
                AddMember(uid, new Member { Uid = uid, Name = name });
            }
            """),
        Case("RoomJoinReserveSafe", Truth.Safe, """
            async ValueTask<bool> Join(int uid)
            {
                if (_closed || _members.Count >= MaxPlayers || !_members.TryAdd(uid, new Member { Uid = uid })) return false;
                var name = (string)(await Call(_db, "name", uid))!;
                if (_members.TryGetValue(uid, out var member)) member.Name = name;
                return true;
            }
            """),
        Case("RoomLeaveSafe", Truth.Safe, """
            async ValueTask Leave(int uid)
            {
                if (!_members.Remove(uid, out var member)) return;
                if (_members.Count == 0) _closed = true;
                await Broadcast("leave", member.Uid);
            }
            """),
        // Kicks a stale session and then takes the seat whatever happened meanwhile: the write does not depend on
        // the read, but SKY1001 cannot tell (a false positive, silenced with a CriticalSection or a re-check).
        Case("RoomRejoinOverwriteSafe", Truth.Safe, """
            async ValueTask Rejoin(int uid, string name)
            {
                if (_members.ContainsKey(uid)) await Broadcast("kick", uid);
                [|_members[uid]|] = new Member { Uid = uid, Name = name };
            }
            """),
        Case("RoomLocalsSafe", Truth.Safe, """
            async ValueTask Announce()
            {
                var names = new List<string>();
                foreach (var m in _members.Values) names.Add(m.Name);
                await Call(_db, "announce", string.Join(",", names));
                names.Clear();
            }
            """),
    ];
}
