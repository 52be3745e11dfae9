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

    static int CountOf(string text, string part) => (text.Length - text.Replace(part, "").Length) / part.Length;
}
