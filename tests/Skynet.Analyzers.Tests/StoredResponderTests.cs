using Skynet.Analyzers.Diagnostics;
using static Skynet.Analyzers.Tests.Infrastructure.AnalyzerTest;

namespace Skynet.Analyzers.Tests;

/// <summary>SKY1005 for responders parked in fields: stored somewhere, taken out and completed nowhere.</summary>
public class StoredResponderTests
{
    [Fact]
    public void StoredAndNeverCompleted_Fires()
    {
        var diagnostics = Verify<ResponseAnalyzer>(DiagnosticIds.ResponderNotCompleted, """
            public class Matchmaker : Service
            {
                Responder? _last;
                readonly Dictionary<int, Responder> _waiting = new();
                readonly Queue<Responder> _queue = new();
                readonly List<(int Uid, Responder Reply)> _pairs = new();
                void Park(int uid)
                {
                    [|_last = Response()|];
                    var r = Response();
                    [|_waiting[uid] = r|];
                    [|_queue.Enqueue(Response())|];
                    [|_pairs.Add((uid, Response()))|];
                }
                void Cancel(int uid)
                {
                    if (_waiting.ContainsKey(uid)) _waiting.Remove(uid);
                    if (_queue.Count > 10) _queue.Clear();
                    if (_last is not null && _last.IsPending) _last = null;
                }
            }
            """);
        Assert.Equal("A responder is stored in '_last', but no code of Matchmaker calls Respond on what '_last' holds or hands it on; the caller waits until the service exits",
            diagnostics[0].GetMessage());
    }

    [Fact]
    public void TakenOutAndCompleted_DoesNotFire() => Verify<ResponseAnalyzer>(DiagnosticIds.ResponderNotCompleted, """
        public class Matchmaker : Service
        {
            Responder? _last;
            readonly Dictionary<int, Responder> _waiting = new();
            readonly Queue<Responder> _queue = new();
            readonly List<(int Uid, Responder Reply)> _pairs = new();
            readonly Dictionary<int, Responder> _handedOn = new();
            readonly Responder[] _slots = new Responder[4];
            void Park(int uid)
            {
                _last = Response();
                _waiting[uid] = Response();
                _queue.Enqueue(Response());
                _pairs.Add((uid, Response()));
                _handedOn.Add(uid, Response());
                _slots[uid] = Response();
            }
            void Matched(int uid)
            {
                _last?.Respond(true, "go");
                if (_waiting.Remove(uid, out var waiter)) waiter.Respond(true, "go");
                while (_queue.TryDequeue(out var next)) next.Respond(true, "go");
                foreach (var (_, reply) in _pairs) reply.Respond(true, "go");
                Finish(_handedOn);
                _slots[0].Respond(true, "go");
            }
            static void Finish(Dictionary<int, Responder> all) { foreach (var r in all.Values) r.Respond(false); }
        }
        """);
}
