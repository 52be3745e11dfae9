using Skynet.Analyzers.CodeFixes;
using Skynet.Analyzers.Diagnostics;
using static Skynet.Analyzers.Tests.Infrastructure.AnalyzerTest;

namespace Skynet.Analyzers.Tests;

public class CodeFixTests
{
    [Fact]
    public void AcceptReturningValue_BecomesResponse() => VerifyFix<SnaxMethodAnalyzer, SnaxAttributeCodeFixer>(DiagnosticIds.AcceptReturnsValue,
        "[Service] public partial class Db : Service { [Accept] public int Set(string key) => 1; }",
        "[Service] public partial class Db : Service { [Response] public int Set(string key) => 1; }",
        SnaxAttributeCodeFixer.UseResponseKey);

    [Fact]
    public void ResponseReturningVoid_BecomesAccept() => VerifyFix<SnaxMethodAnalyzer, SnaxAttributeCodeFixer>(DiagnosticIds.ResponseReturnsVoid,
        "[Service] public partial class Db : Service { [Skynet.ResponseAttribute] public void Flush() { } }",
        "[Service] public partial class Db : Service { [Skynet.Accept] public void Flush() { } }",
        SnaxAttributeCodeFixer.UseAcceptKey);

    [Fact]
    public void ThreadSleep_BecomesAwaitSleep() => VerifyFix<ServiceCodeAnalyzer, ThreadSleepCodeFixer>(DiagnosticIds.BlockingWait,
        "public class Svc : Service { async ValueTask M() { Thread.Sleep(100); await Yield(); } }",
        "public class Svc : Service { async ValueTask M() { await Sleep(TimeSpan.FromMilliseconds(100)); await Yield(); } }",
        ThreadSleepCodeFixer.Key);

    [Fact]
    public void ThreadSleep_QualifiesTimeSpan_WhenAnotherTypeOfThatNameIsInScope() => VerifyFix<ServiceCodeAnalyzer, ThreadSleepCodeFixer>(DiagnosticIds.BlockingWait,
        "class TimeSpan { } public class Svc : Service { async ValueTask M() { Thread.Sleep(100); await Yield(); } }",
        "class TimeSpan { } public class Svc : Service { async ValueTask M() { await Sleep(global::System.TimeSpan.FromMilliseconds(100)); await Yield(); } }",
        ThreadSleepCodeFixer.Key);

    [Fact]
    public void ThreadSleepWithTimeSpan_BecomesAwaitSleep() => VerifyFix<ServiceCodeAnalyzer, ThreadSleepCodeFixer>(DiagnosticIds.BlockingWait,
        "public class Svc : Service { async ValueTask M(TimeSpan d) { Thread.Sleep(d); await Yield(); } }",
        "public class Svc : Service { async ValueTask M(TimeSpan d) { await Sleep(d); await Yield(); } }",
        ThreadSleepCodeFixer.Key);

    [Fact]
    public void ThreadSleepOutsideAsync_HasNoFix() => VerifyNoFix<ServiceCodeAnalyzer, ThreadSleepCodeFixer>(DiagnosticIds.BlockingWait,
        "public class Svc : Service { void M() { Thread.Sleep(100); } }", ThreadSleepCodeFixer.Key);

    // Review: the service's Sleep is an instance method; a static method or a nested type cannot call it.
    [Theory]
    [InlineData("public class Svc : Service { static async ValueTask M() { Thread.Sleep(100); await Task.Yield(); } }")]
    [InlineData("public class Svc : Service { sealed class Helper { async ValueTask M() { Thread.Sleep(100); await Task.Yield(); } } }")]
    [InlineData("public class Svc : Service { void M() { Func<ValueTask> f = static async () => { Thread.Sleep(100); await Task.Yield(); }; } }")]
    public void ThreadSleepWithoutTheServiceSleep_HasNoFix(string source) =>
        VerifyNoFix<ServiceCodeAnalyzer, ThreadSleepCodeFixer>(DiagnosticIds.BlockingWait, source, ThreadSleepCodeFixer.Key);

    [Fact]
    public void ThreadSleepInLambda_BecomesAwaitSleep() => VerifyFix<ServiceCodeAnalyzer, ThreadSleepCodeFixer>(DiagnosticIds.BlockingWait,
        "public class Svc : Service { void M() { Fork(async () => { Thread.Sleep(100); await Yield(); }); } }",
        "public class Svc : Service { void M() { Fork(async () => { await Sleep(TimeSpan.FromMilliseconds(100)); await Yield(); }); } }",
        ThreadSleepCodeFixer.Key);

    [Fact]
    public void DroppedAcceptRequest_UsesPost() => VerifyFix<ReentrancyAnalyzer, DroppedRequestCodeFixer>(DiagnosticIds.DroppedRequest,
        "public class Svc : Service { DbProxy _db = new(default); void M() { _db.Req.Set(\"k\", \"v\"); } }",
        "public class Svc : Service { DbProxy _db = new(default); void M() { _db.Post.Set(\"k\", \"v\"); } }",
        DroppedRequestCodeFixer.UsePostKey, withProxy: true);

    [Fact]
    public void DroppedRequest_IsAwaited() => VerifyFix<ReentrancyAnalyzer, DroppedRequestCodeFixer>(DiagnosticIds.DroppedRequest,
        "public class Svc : Service { DbProxy _db = new(default); async ValueTask M() { _db.Req.Get(\"k\"); } }",
        "public class Svc : Service { DbProxy _db = new(default); async ValueTask M() { await _db.Req.Get(\"k\"); } }",
        DroppedRequestCodeFixer.AwaitKey, withProxy: true);

    [Fact]
    public void DroppedResponseRequest_HasNoPostFix() => VerifyNoFix<ReentrancyAnalyzer, DroppedRequestCodeFixer>(DiagnosticIds.DroppedRequest,
        "public class Svc : Service { DbProxy _db = new(default); async ValueTask M() { _db.Req.Get(\"k\"); } }",
        DroppedRequestCodeFixer.UsePostKey, withProxy: true);

    [Fact]
    public void StateAcrossAwait_IsWrappedInNewCriticalSection() => VerifyFix<ReentrancyAnalyzer, CriticalSectionCodeFixer>(DiagnosticIds.StateAcrossAwait, """
        public class Bank : Service
        {
            Address _auditor;
            int _balance;

            async ValueTask<int> Deposit(int amount)
            {
                var before = _balance;
                await Call(_auditor, "audit", amount);
                _balance = before + amount;
                return _balance;
            }
        }
        """, """
        public class Bank : Service
        {
            readonly CriticalSection _criticalSection = new();
            Address _auditor;
            int _balance;

            async ValueTask<int> Deposit(int amount)
            {
                await _criticalSection.Run(async () =>
                {
                    var before = _balance;
                    await Call(_auditor, "audit", amount);
                    _balance = before + amount;
                });
                return _balance;
            }
        }
        """, CriticalSectionCodeFixer.Key);

    [Fact]
    public void StateAcrossAwait_UsesExistingCriticalSection_AndReturns() => VerifyFix<ReentrancyAnalyzer, CriticalSectionCodeFixer>(DiagnosticIds.StateAcrossAwait, """
        public class Bank : Service
        {
            readonly CriticalSection _queue = new();
            int _balance;

            async ValueTask<int> Deposit(int amount)
            {
                Log("deposit");
                var before = _balance;
                await Sleep(TimeSpan.FromSeconds(1));
                _balance = before + amount;
                return before;
            }
        }
        """, """
        public class Bank : Service
        {
            readonly CriticalSection _queue = new();
            int _balance;

            async ValueTask<int> Deposit(int amount)
            {
                Log("deposit");
                return await _queue.Run(async () =>
                {
                    var before = _balance;
                    await Sleep(TimeSpan.FromSeconds(1));
                    _balance = before + amount;
                    return before;
                });
            }
        }
        """, CriticalSectionCodeFixer.Key);

    [Fact]
    public void StateAcrossAwaitInNestedBlockWithLaterUse_HasNoFix() => VerifyNoFix<ReentrancyAnalyzer, CriticalSectionCodeFixer>(DiagnosticIds.StateAcrossAwait, """
        public class Bank : Service
        {
            int _balance;
            async ValueTask M(bool flag)
            {
                if (flag)
                {
                    var before = _balance;
                    await Sleep(TimeSpan.FromSeconds(1));
                    _balance = before + 1;
                    Log(before.ToString());
                }
            }
        }
        """.Replace("Log(before.ToString());\n            }", "}\n            Log(\"done\");"), CriticalSectionCodeFixer.Key);
}
