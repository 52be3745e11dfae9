using Skynet.Analyzers.CodeFixes;
using Skynet.Analyzers.Diagnostics;
using Skynet.Analyzers.Tests.Infrastructure;
using static Skynet.Analyzers.Tests.Infrastructure.AnalyzerTest;

namespace Skynet.Analyzers.Tests;

/// <summary>Every code fix's Fix All, run the way <c>dotnet format analyzers</c> runs it, fixes every occurrence.</summary>
public class FixAllTests
{
    [Fact]
    public void DroppedRequest_FixAll()
    {
        var fixedText = FixAllTest.Apply<ReentrancyAnalyzer, DroppedRequestCodeFixer>(DiagnosticIds.DroppedRequest, Usings + """
            public class Svc : Service
            {
                DbProxy _db = new(default);
                async ValueTask M()
                {
                    _db.Req.Set("a", "1");
                    _db.Req.Set("b", "2");
                    await Yield();
                }
                void N() => _db.Req.Set("c", "3");
            }
            """ + FakeProxy);
        Assert.Contains("_db.Post.Set(\"a\", \"1\");", fixedText);
        Assert.Contains("_db.Post.Set(\"b\", \"2\");", fixedText);
        Assert.Contains("_db.Post.Set(\"c\", \"3\")", fixedText);
    }

    [Fact]
    public void SnaxAttribute_FixAll()
    {
        var fixedText = FixAllTest.Apply<SnaxMethodAnalyzer, SnaxAttributeCodeFixer>(DiagnosticIds.AcceptReturnsValue, Usings + """
            [Service] public partial class Db : Service
            {
                [Accept] public int Set(string key) => 1;
                [Accept] public string Put(string key) => key;
            }
            """);
        Assert.Contains("[Response] public int Set", fixedText);
        Assert.Contains("[Response] public string Put", fixedText);
    }

    [Fact]
    public void ThreadSleep_FixAll()
    {
        var fixedText = FixAllTest.Apply<ServiceCodeAnalyzer, ThreadSleepCodeFixer>(DiagnosticIds.BlockingWait, Usings + """
            public class Svc : Service
            {
                async ValueTask M() { Thread.Sleep(100); await Yield(); }
                async ValueTask N(TimeSpan d) { Thread.Sleep(d); await Yield(); }
            }
            """);
        Assert.Contains("await Sleep(TimeSpan.FromMilliseconds(100));", fixedText);
        Assert.Contains("await Sleep(d);", fixedText);
        Assert.DoesNotContain("Thread.Sleep", fixedText);
    }

    [Fact]
    public void CriticalSection_FixAll_AddsOneFieldAndWrapsEverySpan()
    {
        var fixedText = FixAllTest.Apply<ReentrancyAnalyzer, CriticalSectionCodeFixer>(DiagnosticIds.StateAcrossAwait, Usings + """
            public class Bank : Service
            {
                Address _auditor;
                int _balance;
                readonly Dictionary<int, int> _accounts = new();
                async ValueTask Deposit(int amount)
                {
                    var before = _balance;
                    await Call(_auditor, "audit", amount);
                    _balance = before + amount;
                }
                async ValueTask Withdraw(int id, int x)
                {
                    var v = _accounts[id];
                    await Call(_auditor, "audit", id);
                    _accounts[id] = v - x;
                }
            }
            """);
        Assert.Equal(2, CountOf(fixedText, ".Run(async () =>"));
        Assert.Equal(1, CountOf(fixedText, "readonly CriticalSection"));
        var remaining = Run(Compile(fixedText), new ReentrancyAnalyzer()).Where(d => d.Id == DiagnosticIds.StateAcrossAwait);
        Assert.Empty(remaining);
    }

    // dotnet format analyzers with several ids (or none: every id) hands the fixer of one id a pass that also holds
    // the other ids the same analyzer reported, and takes the Fix All key from the first diagnostic of the pass. These
    // put a diagnostic of another id, or one without a fix, first.

    [Fact]
    public void DroppedRequest_FixAll_InAPassWhoseFirstDiagnosticIsSKY1001()
    {
        var fixedText = FixAllTest.ApplyInPass<ReentrancyAnalyzer, DroppedRequestCodeFixer>(DiagnosticIds.DroppedRequest,
            [DiagnosticIds.StateAcrossAwait, DiagnosticIds.AwaitedSelfCall, DiagnosticIds.DroppedRequest], Usings + """
            public class Svc : Service
            {
                DbProxy _db = new(default);
                int _balance;
                async ValueTask M(int amount)
                {
                    var before = _balance;
                    await Yield();
                    _balance = before + amount;
                    _db.Req.Set("a", "1");
                }
                void N() => _db.Req.Set("c", "3");
            }
            """ + FakeProxy);
        Assert.Contains("_db.Post.Set(\"a\", \"1\");", fixedText);
        Assert.Contains("_db.Post.Set(\"c\", \"3\")", fixedText);
    }

    [Fact]
    public void DroppedRequest_FixAll_WithoutAPostView_AwaitsInAPassWhoseFirstDiagnosticIsSKY1002()
    {
        var fixedText = FixAllTest.ApplyInPass<ReentrancyAnalyzer, DroppedRequestCodeFixer>(DiagnosticIds.DroppedRequest,
            [DiagnosticIds.AwaitedSelfCall, DiagnosticIds.DroppedRequest], Usings + """
            public sealed class ReqOnly(Address target) : ISnaxRequestView
            {
                public Address Target => target;
                public ValueTask Set(string key, string value) => default;
            }
            public class Svc : Service
            {
                ReqOnly _req = new(default);
                async ValueTask M()
                {
                    await Call(Self, "ping");
                    _req.Set("a", "1");
                }
            }
            """);
        Assert.Contains("await _req.Set(\"a\", \"1\");", fixedText);
    }

    [Fact]
    public void ResponseReturnsVoid_FixAll_InAPassWhoseFirstDiagnosticIsSKY1008()
    {
        var fixedText = FixAllTest.ApplyInPass<SnaxMethodAnalyzer, SnaxAttributeCodeFixer>(DiagnosticIds.ResponseReturnsVoid,
            [DiagnosticIds.AcceptReturnsValue, DiagnosticIds.ResponseReturnsVoid], Usings + """
            [Service] public partial class Shop : Service
            {
                [Accept] public int Buy(string item) => 1;
                [Response] public void Restock() { }
                [Response] public void Clear() { }
            }
            """);
        Assert.Contains("[Accept] public void Restock", fixedText);
        Assert.Contains("[Accept] public void Clear", fixedText);
        Assert.Contains("[Accept] public int Buy", fixedText); // SKY1008 is its own pass
    }

    [Fact]
    public void ThreadSleep_FixAll_InAPassWhoseFirstDiagnosticsHaveNoFix()
    {
        var fixedText = FixAllTest.ApplyInPass<ServiceCodeAnalyzer, ThreadSleepCodeFixer>(DiagnosticIds.BlockingWait,
            [DiagnosticIds.AsyncVoid, DiagnosticIds.BlockingWait], Usings + """
            public class Svc : Service
            {
                async void Tick() => await Yield();
                async ValueTask L(Task t) { t.Wait(); await Yield(); }
                async ValueTask M() { Thread.Sleep(100); await Yield(); }
            }
            """);
        Assert.Contains("await Sleep(TimeSpan.FromMilliseconds(100));", fixedText);
        Assert.Contains("t.Wait();", fixedText);
    }

    [Fact]
    public void CriticalSection_FixAll_InAPassWhoseFirstDiagnosticIsSKY1002()
    {
        var fixedText = FixAllTest.ApplyInPass<ReentrancyAnalyzer, CriticalSectionCodeFixer>(DiagnosticIds.StateAcrossAwait,
            [DiagnosticIds.StateAcrossAwait, DiagnosticIds.AwaitedSelfCall], Usings + """
            public class Bank : Service
            {
                Address _auditor;
                int _balance;
                async ValueTask Ping() => await Call(Self, "ping");
                async ValueTask Deposit(int amount)
                {
                    var before = _balance;
                    await Call(_auditor, "audit", amount);
                    _balance = before + amount;
                }
            }
            """);
        Assert.Equal(1, CountOf(fixedText, ".Run(async () =>"));
    }

    static int CountOf(string text, string part) => (text.Length - text.Replace(part, "").Length) / part.Length;
}
