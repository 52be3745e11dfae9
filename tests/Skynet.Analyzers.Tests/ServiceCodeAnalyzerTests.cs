using Skynet.Analyzers.Diagnostics;
using static Skynet.Analyzers.Tests.Infrastructure.AnalyzerTest;

namespace Skynet.Analyzers.Tests;

public class ServiceCodeAnalyzerTests
{
    // ---- SKY1010 async void ----

    [Fact]
    public void AsyncVoid_Fires() => Verify<ServiceCodeAnalyzer>(DiagnosticIds.AsyncVoid, """
        public class Svc : Service
        {
            public [|async|] void Handle() => await Task.Yield();
            void Start()
            {
                Action a = [|async|] () => await Task.Yield();
                [|async|] void Local() => await Task.Yield();
                a(); Local();
            }
        }
        """);

    [Theory]
    [InlineData("public async ValueTask Handle() => await Task.Yield();")]
    [InlineData("void Start() => Fork(async () => await Task.Yield());")]
    [InlineData("void Start() { async ValueTask Local() => await Task.Yield(); Fork(Local); }")]
    public void AsyncValueTask_DoesNotFire(string member) =>
        Verify<ServiceCodeAnalyzer>(DiagnosticIds.AsyncVoid, $"public class Svc : Service {{ {member} }}");

    [Fact]
    public void AsyncVoidOutsideService_DoesNotFire() =>
        Verify<ServiceCodeAnalyzer>(DiagnosticIds.AsyncVoid, "public class Form { public async void OnClick() => await Task.Yield(); }");

    // ---- SKY1011 blocking waits ----

    [Fact]
    public void BlockingWaits_Fire()
    {
        var diagnostics = Verify<ServiceCodeAnalyzer>(DiagnosticIds.BlockingWait, """
            public class Svc : Service
            {
                void Block(Task<int> t, Task u, ValueTask<int> v)
                {
                    var a = [|t.Result|];
                    [|u.Wait()|];
                    var b = [|t.GetAwaiter().GetResult()|];
                    var c = [|v.Result|];
                    [|Thread.Sleep(10)|];
                    [|Task.WaitAll(u)|];
                    [|u.ConfigureAwait(false).GetAwaiter().GetResult()|];
                }
            }
            """);
        Assert.Equal(ServiceCodeAnalyzer.ThreadSleep, diagnostics[4].Properties[ServiceCodeAnalyzer.WaitKindProperty]);
    }

    [Theory]
    [InlineData("async ValueTask<int> M(Task<int> t) => await t;")]
    [InlineData("async ValueTask M() => await Sleep(TimeSpan.FromMilliseconds(10));")]
    [InlineData("int M(Task<int> t) => t.IsCompleted ? 1 : 0;")]
    public void AwaitingCode_DoesNotFire(string member) =>
        Verify<ServiceCodeAnalyzer>(DiagnosticIds.BlockingWait, $"public class Svc : Service {{ {member} }}");

    [Fact]
    public void BlockingOutsideService_DoesNotFire() =>
        Verify<ServiceCodeAnalyzer>(DiagnosticIds.BlockingWait, "public static class Program { public static int Main() { Thread.Sleep(1); return Task.FromResult(1).Result; } }");

    // ---- SKY1012 ConfigureAwait(false) ----

    [Fact]
    public void ConfigureAwaitFalse_Fires() => Verify<ServiceCodeAnalyzer>(DiagnosticIds.ConfigureAwaitFalse, """
        public class Svc : Service
        {
            async ValueTask M(Task t, ValueTask<int> v)
            {
                await t.[|ConfigureAwait(false)|];
                const bool no = false;
                await v.[|ConfigureAwait(no)|];
                await t.[|ConfigureAwait(ConfigureAwaitOptions.None)|];
                await t.[|ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing)|];
            }
        }
        """);

    [Theory]
    [InlineData("public class Svc : Service { async ValueTask M(Task t) => await t.ConfigureAwait(true); }")]
    [InlineData("public class Svc : Service { async ValueTask M(Task t) => await t; }")]
    [InlineData("public class Svc : Service { async ValueTask M(Task t) => await t.ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing); }")]
    [InlineData("public class Library { async Task M(Task t) => await t.ConfigureAwait(false); }")]
    public void ConfigureAwaitElsewhere_DoesNotFire(string source) => Verify<ServiceCodeAnalyzer>(DiagnosticIds.ConfigureAwaitFalse, source);

    // ---- SKY1016 static mutable state ----

    [Fact]
    public void StaticMutableState_Fires() => Verify<ServiceCodeAnalyzer>(DiagnosticIds.StaticMutableState, """
        public class Svc : Service
        {
            static int [|s_count|];
            public static List<string> [|Names|] { get; set; } = new();
            static int [|s_a|], [|s_b|];
        }
        """);

    [Theory]
    [InlineData("public class Svc : Service { const int Max = 3; static readonly string[] s_names = []; int _count; }")]
    [InlineData("public class Svc : Service { static int Total => 3; static int Computed { get => 1; set { } } }")]
    [InlineData("public class Helper { static int s_count; }")]
    public void NotStaticMutable_DoesNotFire(string source) => Verify<ServiceCodeAnalyzer>(DiagnosticIds.StaticMutableState, source);

    // Review: .Result on a task already known to be complete does not block.
    [Fact]
    public void ResultOfKnownCompletedTask_DoesNotFire_OtherResultsStillFire() => Verify<ServiceCodeAnalyzer>(DiagnosticIds.BlockingWait, """
        public class Svc : Service
        {
            ValueTask<int> Get() => default;
            Task<int> Load() => Task.FromResult(1);
            async ValueTask<int> FastPath()
            {
                var vt = Get();
                if (vt.IsCompletedSuccessfully) return vt.Result;
                return await vt;
            }
            async ValueTask<int> Both()
            {
                var a = Load(); var b = Load(); var c = Load();
                await Task.WhenAll(a, b);
                var d = Load();
                await d;
                return a.Result + b.Result + d.Result + [|c.Result|];
            }
            int Early(Task<int> t)
            {
                var n = [|t.Result|];
                return t.IsCompleted ? n : 0;
            }
        }
        """);
}
