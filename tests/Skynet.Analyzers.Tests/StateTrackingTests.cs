using Skynet.Analyzers.Diagnostics;
using static Skynet.Analyzers.Tests.Infrastructure.AnalyzerTest;

namespace Skynet.Analyzers.Tests;

/// <summary>SKY1001 on state beyond plain fields: collection elements, members of owned objects, guards, aliases.</summary>
public class StateTrackingTests
{
    const string Lobby = """
        public sealed class Player { public int Gold; public string Name = ""; public List<int> Items { get; } = new(); }
        public struct Position { public int X; public int Y; }
        public class Lobby : Service
        {
            readonly CriticalSection _queue = new();
            readonly Dictionary<int, Player> _online = new();
            readonly Dictionary<int, int> _accounts = new();
            readonly HashSet<int> _banned = new();
            readonly List<int> _waiting = new();
            readonly System.Collections.Concurrent.ConcurrentDictionary<int, string> _names = new();
            readonly int[] _slots = new int[8];
            readonly Player _player = new();
            Position _position;
            int _count;
            Address _db;
        """;

    static void Races(string body) => Verify<ReentrancyAnalyzer>(DiagnosticIds.StateAcrossAwait, Lobby + body + "\n}\n");

    [Fact]
    public void ContainsKey_ThenAdd_AfterAwait_Fires() => Races("""
            async ValueTask Login(int uid, Player p)
            {
                if (_online.ContainsKey(uid)) return;
                await Call(_db, "load", uid);
                [|_online.Add(uid, p)|];
            }
        """);

    [Fact]
    public void IndexerRead_ThenIndexerSet_Fires()
    {
        var diagnostics = Verify<ReentrancyAnalyzer>(DiagnosticIds.StateAcrossAwait, Lobby + """
                async ValueTask Withdraw(int id, int x)
                {
                    var v = _accounts[id];
                    await Call(_db, "audit", id);
                    [|_accounts[id]|] = v - x;
                }
            }
            """);
        Assert.StartsWith("'_accounts' is read before the await on line", diagnostics[0].GetMessage());
    }

    [Fact]
    public void TryGetValue_Count_Contains_Arrays_Concurrent_Fire() => Races("""
            async ValueTask A(int id)
            {
                if (!_accounts.TryGetValue(id, out var v)) return;
                await Sleep(TimeSpan.FromSeconds(1));
                [|_accounts[id]|] = v + 1;
            }
            async ValueTask B(int uid)
            {
                if (_waiting.Count >= 4) return;
                await Sleep(TimeSpan.FromSeconds(1));
                [|_waiting.Add(uid)|];
            }
            async ValueTask C(int uid)
            {
                if (!_banned.Contains(uid)) return;
                await Sleep(TimeSpan.FromSeconds(1));
                [|_banned.Remove(uid)|];
            }
            async ValueTask D(int i)
            {
                if (_slots[i] != 0) return;
                await Sleep(TimeSpan.FromSeconds(1));
                [|_slots[i]|] = 1;
            }
            async ValueTask E(int id)
            {
                if (_names.ContainsKey(id)) return;
                await Sleep(TimeSpan.FromSeconds(1));
                [|_names[id]|] = "x";
            }
        """);

    [Fact]
    public void MembersOfOwnedObjects_Fire() => Races("""
            async ValueTask Buy(int price)
            {
                if (_player.Gold < price) return;
                await Call(_db, "buy", price);
                [|_player.Gold|] -= price;
            }
            async ValueTask Move()
            {
                var x = _position.X;
                await Sleep(TimeSpan.FromSeconds(1));
                [|_position.X|] = x + 1;
            }
            async ValueTask Give(int item)
            {
                if (_player.Items.Contains(item)) return;
                await Sleep(TimeSpan.FromSeconds(1));
                [|_player.Items.Add(item)|];
            }
        """);

    [Fact]
    public void Guard_ThenIncrement_Fires() => Races("""
            async ValueTask Enter()
            {
                if (_count > 10) return;
                await Sleep(TimeSpan.FromSeconds(1));
                [|_count|]++;
            }
            async ValueTask Enter2()
            {
                if (_count > 10) return;
                await Sleep(TimeSpan.FromSeconds(1));
                [|_count|] += 1;
            }
        """);

    [Fact]
    public void LocalAlias_Fires() => Races("""
            async ValueTask Login(int uid, Player p)
            {
                var online = _online;
                if (online.ContainsKey(uid)) return;
                await Call(_db, "load", uid);
                [|online[uid]|] = p;
            }
            async ValueTask Pay(int price)
            {
                var me = _player;
                if (me.Gold < price) return;
                await Call(_db, "pay", price);
                [|me.Gold|] -= price;
            }
        """);

    [Fact]
    public void NestedTypeTheServiceOwns_Fires() => Verify<ReentrancyAnalyzer>(DiagnosticIds.StateAcrossAwait, """
        public class World : Service
        {
            readonly Room _room = new();
            Address _db;
            sealed class Room
            {
                public readonly Dictionary<int, string> Members = new();
                public int Size;
            }
            async ValueTask Join(int uid)
            {
                if (_room.Size >= 4 || _room.Members.ContainsKey(uid)) return;
                await Call(_db, "profile", uid);
                [|_room.Members[uid]|] = "p";
                [|_room.Size|]++;
            }
            sealed class Table(World owner)
            {
                readonly List<int> _seats = new();
                public async ValueTask Sit(int uid)
                {
                    if (_seats.Count >= 2) return;
                    await owner.Sleep(TimeSpan.FromSeconds(1));
                    [|_seats.Add(uid)|];
                }
            }
        }
        """);

    // ---- the quiet cases ----

    [Fact]
    public void NoAwaitBetween_DoesNotFire() => Races("""
            async ValueTask Login(int uid, Player p)
            {
                if (_online.ContainsKey(uid)) return;
                _online.Add(uid, p);
                _player.Gold -= 1;
                if (_count > 10) return;
                _count++;
                await Call(_db, "load", uid);
            }
        """);

    [Fact]
    public void ClaimBeforeAwait_And_AtomicTryAdd_DoNotFire() => Races("""
            async ValueTask Login(int uid, Player p)
            {
                if (!_banned.Add(uid)) return;
                if (_online.ContainsKey(uid)) return;
                _online[uid] = p;
                try { await Call(_db, "load", uid); }
                finally { _online.Remove(uid); _banned.Remove(uid); }
            }
            async ValueTask Name(int id)
            {
                if (_names.ContainsKey(id)) return;
                var name = (string)(await Call(_db, "name", id))!;
                if (!_names.TryAdd(id, name)) return;
            }
            async ValueTask Recheck(int uid, Player p)
            {
                if (_online.ContainsKey(uid)) return;
                await Call(_db, "load", uid);
                if (_online.ContainsKey(uid)) return;
                _online.Add(uid, p);
            }
        """);

    [Fact]
    public void InsideCriticalSection_DoesNotFire() => Races("""
            ValueTask Login(int uid, Player p) => _queue.Run(async () =>
            {
                if (_online.ContainsKey(uid)) return;
                await Call(_db, "load", uid);
                _online.Add(uid, p);
                if (_count > 10) return;
                await Sleep(TimeSpan.FromSeconds(1));
                _count++;
            });
        """);

    [Fact]
    public void LocalsOnlyThisCoroutineTouches_DoNotFire() => Races("""
            async ValueTask Batch(int uid)
            {
                var seen = new Dictionary<int, int>();
                var list = new List<int>();
                var player = new Player();
                if (seen.ContainsKey(uid) || list.Count > 3 || player.Gold > 0) return;
                await Call(_db, "load", uid);
                seen.Add(uid, 1);
                list.Add(uid);
                player.Gold++;
            }
            async ValueTask Copy()
            {
                var p = _position;
                if (p.X > 0) return;
                await Sleep(TimeSpan.FromSeconds(1));
                p.X = 1;
            }
        """);

    [Fact]
    public void ReadAfterOwnWriteOfCollection_DoesNotFire() => Races("""
            async ValueTask Queue(int uid)
            {
                _waiting.Add(uid);
                await Sleep(TimeSpan.FromSeconds(1));
                if (_waiting.Count >= 4) _waiting.Clear();
            }
        """);
}
