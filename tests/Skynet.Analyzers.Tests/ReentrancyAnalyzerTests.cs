using Skynet.Analyzers.Diagnostics;
using static Skynet.Analyzers.Tests.Infrastructure.AnalyzerTest;

namespace Skynet.Analyzers.Tests;

public class ReentrancyAnalyzerTests
{
    const string Bank = """
        public class Bank : Service
        {
            readonly CriticalSection _queue = new();
            Address _auditor;
            int _balance;
            string _status = "";
            int Balance { get; set; }
        """;

    // ---- SKY1001 state across an await ----

    [Fact]
    public void ReadBeforeAwaitWrittenAfter_Fires()
    {
        var diagnostics = Verify<ReentrancyAnalyzer>(DiagnosticIds.StateAcrossAwait, Bank + """
                async ValueTask<int> Deposit(int amount)
                {
                    var before = _balance;
                    await Call(_auditor, "audit", amount);
                    [|_balance|] = before + amount;
                    return _balance;
                }
            }
            """);
        Assert.Equal("'_balance' is read before the await on line 11 and written after it; other messages of this service run at the await, so wrap the span in a CriticalSection",
            diagnostics[0].GetMessage());
        Assert.Equal(2, diagnostics[0].AdditionalLocations.Count);
    }

    [Fact]
    public void CompoundAssignmentWithAwait_And_Property_Fire() => Verify<ReentrancyAnalyzer>(DiagnosticIds.StateAcrossAwait, Bank + """
            async ValueTask Add() => [|_balance|] += (int)(await Call(_auditor, "amount"))!;
            async ValueTask AddProperty()
            {
                if (Balance > 10)
                {
                    await Sleep(TimeSpan.FromSeconds(1));
                    [|Balance|] = 0;
                }
            }
        }
        """);

    [Fact]
    public void WrittenBeforeAwaitReadAfter_Fires() => Verify<ReentrancyAnalyzer>(DiagnosticIds.StateAcrossAwait, Bank + """
            async ValueTask Load()
            {
                _status = "loading";
                await Call(_auditor, "load");
                Log([|_status|]);
            }
        }
        """);

    [Fact]
    public void ForkedCoroutine_IsItsOwnHandler_AndFires() => Verify<ReentrancyAnalyzer>(DiagnosticIds.StateAcrossAwait, Bank + """
            void Start() => Fork(async () =>
            {
                var b = _balance;
                await Sleep(TimeSpan.FromSeconds(1));
                [|_balance|] = b + 1;
            });
        }
        """);

    [Fact]
    public void LoopBackEdge_Fires() => Verify<ReentrancyAnalyzer>(DiagnosticIds.StateAcrossAwait, Bank + """
            async ValueTask Poll()
            {
                var seen = 0;
                for (var i = 0; i < 3; i++)
                {
                    [|_balance|] = seen;
                    seen = _balance;
                    await Sleep(TimeSpan.FromSeconds(1));
                }
            }
        }
        """);

    [Fact]
    public void InsideCriticalSection_DoesNotFire() => Verify<ReentrancyAnalyzer>(DiagnosticIds.StateAcrossAwait, Bank + """
            ValueTask<int> Deposit(int amount) => _queue.Run(async () =>
            {
                var before = _balance;
                await Call(_auditor, "audit", amount);
                _balance = before + amount;
                return _balance;
            });
            async ValueTask Deposit2(int amount) => await _queue.Run(async () =>
            {
                var before = _balance;
                await Sleep(TimeSpan.FromSeconds(1));
                _balance = before + amount;
            });
        }
        """);

    [Fact]
    public void ForkAfterRead_DoesNotFire() => Verify<ReentrancyAnalyzer>(DiagnosticIds.StateAcrossAwait, Bank + """
            async ValueTask Start()
            {
                var b = _balance;
                Fork(async () => { await Sleep(TimeSpan.FromSeconds(1)); _balance++; });
                _balance = b + 1;
                await Sleep(TimeSpan.FromSeconds(1));
            }
        }
        """);

    [Fact]
    public void ReReadAfterAwait_And_ReadModifyWrite_DoNotFire() => Verify<ReentrancyAnalyzer>(DiagnosticIds.StateAcrossAwait, Bank + """
            async ValueTask Deposit(int amount)
            {
                var seen = _balance;
                var audited = (int)(await Call(_auditor, "audit", amount))!;
                if (_balance < 0) return;
                _balance += audited;
                _balance = _balance + seen;
            }
            async ValueTask Tick()
            {
                while (true)
                {
                    _balance++;
                    await Sleep(TimeSpan.FromSeconds(1));
                }
            }
        }
        """);

    [Fact]
    public void WriteAfterAwaitOnly_And_Locals_And_OtherObjects_DoNotFire() => Verify<ReentrancyAnalyzer>(DiagnosticIds.StateAcrossAwait, Bank + """
            async ValueTask Refresh(Bank other)
            {
                _balance = (int)(await Call(_auditor, "balance"))!;
                var local = other._balance;
                await Sleep(TimeSpan.FromSeconds(1));
                other._balance = local + 1;
            }
        }
        """);

    [Fact]
    public void OutsideService_DoesNotFire() => Verify<ReentrancyAnalyzer>(DiagnosticIds.StateAcrossAwait, """
        public class Counter
        {
            int _count;
            async Task Add() { var c = _count; await Task.Delay(1); _count = c + 1; }
        }
        """);

    // ---- SKY1002 awaited self call ----

    [Fact]
    public void AwaitedSelfCall_Fires() => Verify<ReentrancyAnalyzer>(DiagnosticIds.AwaitedSelfCall, """
        public class Svc : Service
        {
            async ValueTask M()
            {
                await [|Call(Self, "ping")|];
                var me = Self;
                await [|this.Call(me, PType.Lua, null)|];
                await [|new DbProxy(Self).Req.Get("k")|];
                var proxy = new DbProxy(Self);
                await [|proxy.Req.Get("k")|].ConfigureAwait(true);
            }
        }
        """, withProxy: true);

    [Fact]
    public void AwaitedSnaxSelf_DirectlyOrThroughALocal_Fires() => VerifyGenerated<ReentrancyAnalyzer>(DiagnosticIds.AwaitedSelfCall, """
        [Service]
        public partial class Counter : Service
        {
            [Response] public int Get(int k) => k;
            [Accept] public void Bump() { }
            [Response]
            public async ValueTask<int> Twice(int k)
            {
                var a = await [|Snax.Self<Counter>().Req.Get(k)|];
                var me = Snax.Self<Counter>();
                Snax.Self<Counter>().Post.Bump();
                return a + await [|me.Req.Get(k)|];
            }
        }
        """);

    [Fact]
    public void CallToOthersOrUnawaitedSelf_DoesNotFire() => Verify<ReentrancyAnalyzer>(DiagnosticIds.AwaitedSelfCall, """
        public class Svc : Service
        {
            Address _other;
            async ValueTask M()
            {
                await Call(_other, "ping");
                Send(Self, "ping");
                await new DbProxy(_other).Req.Get("k");
                _ = Call(Self, "ping");
                Fork(async () => await Call(_other, "x"));
            }
        }
        """, withProxy: true);

    // ---- SKY1003 dropped Req ----

    [Fact]
    public void DroppedRequest_Fires()
    {
        var diagnostics = Verify<ReentrancyAnalyzer>(DiagnosticIds.DroppedRequest, """
            public class Svc : Service
            {
                DbProxy _db = new(default);
                void M()
                {
                    [|_db.Req.Get("k")|];
                    [|_db.Req.Set("k", "v")|];
                }
            }
            public static class Outside { public static void M(DbProxy db) => [|db.Req.Get("k")|]; }
            """, withProxy: true);
        Assert.False(diagnostics[0].Properties.ContainsKey(ReentrancyAnalyzer.PostViewProperty));
        Assert.Equal("Post", diagnostics[1].Properties[ReentrancyAnalyzer.PostViewProperty]);
    }

    [Fact]
    public void UsedRequests_DoNotFire() => Verify<ReentrancyAnalyzer>(DiagnosticIds.DroppedRequest, """
        public class Svc : Service
        {
            DbProxy _db = new(default);
            ValueTask<string?> _pending;
            async ValueTask<string?> M()
            {
                await _db.Req.Get("a");
                var task = _db.Req.Get("b");
                _pending = _db.Req.Get("c");
                _ = _db.Req.Get("d");
                _db.Post.Set("k", "v");
                return await task;
            }
            ValueTask<string?> N() => _db.Req.Get("e");
        }
        """, withProxy: true);

    // Review: a deconstruction assigns its member targets; it does not read them.
    [Fact]
    public void DeconstructionIsAWrite() => Verify<ReentrancyAnalyzer>(DiagnosticIds.StateAcrossAwait, Bank + """
            async ValueTask Reset()
            {
                _status = "resetting";
                await Call(_auditor, "reset");
                (_status, _balance) = ("ready", 0);
            }
            async ValueTask Swap()
            {
                var before = _balance;
                await Call(_auditor, "swap");
                (_status, [|_balance|]) = ("swapped", before + 1);
            }
        }
        """);
}
