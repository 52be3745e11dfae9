using Microsoft.CodeAnalysis;
using Skynet.Analyzers.Diagnostics;
using static Skynet.Analyzers.Tests.Infrastructure.AnalyzerTest;

namespace Skynet.Analyzers.Tests;

public class ResponseAnalyzerTests
{
    static string Service(string body, string members = "") => $$"""
        public class Svc : Service
        {
            Address _other;
            Responder? _saved;
            protected override ValueTask OnStart(object?[] args)
            {
        {{body}}
                return default;
            }
        {{members}}
        }
        """;

    // ---- SKY1004 request handler path without a reply ----

    [Fact]
    public void SwitchWithoutDefault_Fires()
    {
        var diagnostics = Verify<ResponseAnalyzer>(DiagnosticIds.HandlerPathWithoutReply, Service("""
                    Dispatch(PType.Lua, [|async message =>|]
                    {
                        switch (message.Args[0])
                        {
                            case "get": Ret(await Call(_other, "get")); break;
                            case "reset": Ret(null); break;
                        }
                    });
            """));
        Assert.Contains("ends at line", diagnostics[0].GetMessage());
    }

    [Fact]
    public void IfWithoutElse_And_MethodGroup_Fire() => Verify<ResponseAnalyzer>(DiagnosticIds.HandlerPathWithoutReply, """
        public class Svc : Service
        {
            protected override ValueTask OnStart(object?[] args)
            {
                Dispatch(PType.Lua, [|message =>|]
                {
                    if (message.Args.Length > 0) Ret(message.Args[0]);
                    return default;
                });
                Dispatch(PType.Text, Handle);
                return default;
            }
            ValueTask [|Handle|](Message message)
            {
                if (message.Args[0] is "ping") Ret("pong");
                return default;
            }
        }
        """);

    [Fact]
    public void EveryPathReplies_DoesNotFire() => Verify<ResponseAnalyzer>(DiagnosticIds.HandlerPathWithoutReply, Service("""
                Dispatch(PType.Lua, async message =>
                {
                    switch (message.Args[0])
                    {
                        case "get": Ret(await Call(_other, "get")); break;
                        case "later": _saved = Response(); break;
                        default: throw new ArgumentException("unknown command");
                    }
                });
        """));

    [Fact]
    public void NonRequestPathsAreExempt_DoesNotFire() => Verify<ResponseAnalyzer>(DiagnosticIds.HandlerPathWithoutReply, Service("""
                Dispatch(PType.Lua, message =>
                {
                    if (message.IsRequest) Ret(message.Args[0]);
                    else Log("one-way");
                    return default;
                });
                Dispatch(PType.Text, message =>
                {
                    if (message.Session == 0) return default;
                    Ret("ok");
                    return default;
                });
                Dispatch(PType.Client, message =>
                {
                    if (!message.IsRequest) { Log("one-way"); return default; }
                    Ret("ok");
                    return default;
                });
        """));

    [Fact]
    public void SendHandlers_And_HandOff_DoNotFire() => Verify<ResponseAnalyzer>(DiagnosticIds.HandlerPathWithoutReply, """
        public class Svc : Service
        {
            protected override ValueTask OnStart(object?[] args)
            {
                Dispatch(PType.Text, message => { Log("text"); return default; });
                Dispatch(PType.Lua, message => message.Args.Length == 0 ? Handle(message) : Reply());
                Dispatch(PType.Client, message => { if (message.Args.Length == 0) Ret(1); else Answer(); return default; });
                return default;
            }
            ValueTask Handle(Message message) { Ret(1); return default; }
            ValueTask Reply() { Ret(2); return default; }
            void Answer() => Ret(3);
        }
        """);

    // ---- SKY1005 responder never completed ----

    [Fact]
    public void ResponderNotCompleted_Fires() => Verify<ResponseAnalyzer>(DiagnosticIds.ResponderNotCompleted, Service("""
                Dispatch(PType.Lua, async message =>
                {
                    var responder = [|Response()|];
                    var ok = (bool)(await Call(_other, "check"))!;
                    if (ok) responder.Respond(true, "done");
                });
                Dispatch(PType.Text, message =>
                {
                    [|Response()|];
                    return default;
                });
        """));

    [Fact]
    public void ResponderCompletedOrHandedOn_DoesNotFire() => Verify<ResponseAnalyzer>(DiagnosticIds.ResponderNotCompleted, Service("""
                Dispatch(PType.Lua, async message =>
                {
                    var responder = Response();
                    var ok = (bool)(await Call(_other, "check"))!;
                    if (ok) responder.Respond(true, "done");
                    else responder.Respond(false);
                });
                Dispatch(PType.Text, message => { _saved = Response(); return default; });
                Dispatch(PType.Client, message =>
                {
                    var r = Response();
                    Fork(async () => { await Sleep(TimeSpan.FromSeconds(1)); r.Respond(true); });
                    return default;
                });
                Dispatch(PType.System, message => { var r = Response(); Keep(r); return default; });
        """, "void Keep(Responder r) => _saved = r; void Later() => _saved?.Respond(true);"));

    // ---- SKY1006 responder completed twice ----

    [Fact]
    public void ResponderCompletedTwice_Fires() => Verify<ResponseAnalyzer>(DiagnosticIds.ResponderCompletedTwice, Service("""
                Dispatch(PType.Lua, message =>
                {
                    var r = Response();
                    if (message.Args.Length == 0) r.Respond(false);
                    [|r.Respond(true)|];
                    return default;
                });
        """));

    [Fact]
    public void ResponderCompletedOncePerPath_DoesNotFire() => Verify<ResponseAnalyzer>(DiagnosticIds.ResponderCompletedTwice, Service("""
                Dispatch(PType.Lua, message =>
                {
                    var r = Response();
                    if (message.Args.Length == 0) { r.Respond(false); return default; }
                    r.Respond(true);
                    return default;
                });
                Dispatch(PType.Text, message =>
                {
                    var r = Response();
                    if (message.Args.Length == 0) r.Respond(false); else r.Respond(true);
                    return default;
                });
                Dispatch(PType.Client, message =>
                {
                    var r = Response();
                    r.Respond(true);
                    r = Response();
                    r.Respond(true);
                    return default;
                });
        """));

    // ---- SKY1007 Ret after Response ----

    [Fact]
    public void RetAfterResponse_Fires()
    {
        var diagnostics = Verify<ResponseAnalyzer>(DiagnosticIds.RetAfterResponse, Service("""
                    Dispatch(PType.Lua, async message =>
                    {
                        _saved = Response();
                        await Sleep(TimeSpan.FromSeconds(1));
                        [|Ret("late")|];
                    });
            """));
        Assert.Equal(DiagnosticSeverity.Error, diagnostics[0].Severity);
    }

    [Fact]
    public void RetWithoutResponse_DoesNotFire() => Verify<ResponseAnalyzer>(DiagnosticIds.RetAfterResponse, Service("""
                Dispatch(PType.Lua, message =>
                {
                    if (message.Args.Length == 0) { _saved = Response(); return default; }
                    Ret("now");
                    return default;
                });
                Dispatch(PType.Text, message =>
                {
                    Fork(() => { _saved = Response(); });
                    Ret("now");
                    return default;
                });
                Dispatch(PType.Client, message => { Ret(1); return default; });
        """));

    // Review: Redirect with the request's session hands the reply on to another service.
    [Fact]
    public void RedirectWithTheSession_IsAReply() => Verify<ResponseAnalyzer>(DiagnosticIds.HandlerPathWithoutReply, Service("""
                Dispatch(PType.Lua, message =>
                {
                    if (message.Args[0] is "ping") { Ret("pong"); return default; }
                    Redirect(_other, message.Source, message.Type, message.Session, message.Payload);
                    return default;
                });
                Dispatch(PType.Text, [|message =>|]
                {
                    if (message.Args[0] is "ping") { Ret("pong"); return default; }
                    Redirect(_other, message.Source, message.Type, 0, message.Payload);
                    return default;
                });
        """));

    // Review: a local function that uses the responder takes it over when it is called or handed out.
    [Fact]
    public void ResponderCapturedByLocalFunction_IsHandedOn() => Verify<ResponseAnalyzer>(DiagnosticIds.ResponderNotCompleted, Service("""
                var handed = Response();
                void Done() => handed.Respond(true, 1);
                SetTimeout(TimeSpan.FromSeconds(1), Done);
                var called = Response();
                void Finish() => called.Respond(true, 2);
                Finish();
                var forgotten = [|Response()|];
                void Never() => forgotten.Respond(true, 3);
        """));
}
