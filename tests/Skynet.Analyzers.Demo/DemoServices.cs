// Every Skynet diagnostic, once. Build with `dotnet build tests/Skynet.Analyzers.Demo` to see what the IDE shows.
// The comment above each bug names the rule that reports it; docs/diagnostics/SKYnnnn.md shows the fixed form.
using Skynet;

namespace Skynet.Analyzers.Demo;

/// <summary>A stand-in for a generated snax proxy (the generator emits the real ones).</summary>
public sealed class DbProxy(Address target)
{
    public ReqView Req { get; } = new(target);
    public PostView Post { get; } = new(target);

    public sealed class ReqView(Address target) : ISnaxRequestView
    {
        public Address Target => target;
        public ValueTask<string?> Get(string key) => default;
        public ValueTask Set(string key, string value) => default;
    }

    public sealed class PostView(Address target) : ISnaxPostView
    {
        public Address Target => target;
        public void Set(string key, string value) { }
    }
}

public sealed class Plain { public int X; }

public sealed class RawBank : Service
{
    static int s_instances;                                     // SKY1016 static mutable state
    Address _auditor;
    int _balance;
    DbProxy _db = new(default);

    protected override ValueTask OnStart(object?[] args)
    {
        s_instances++;
        Dispatch(PType.Lua, async message =>                    // SKY1004 the "audit" path never replies
        {
            switch (message.Args[0])
            {
                case "deposit": Ret(await Deposit(message.Arg<int>(1))); break;
                case "later":
                    var responder = Response();                 // SKY1005 not completed when ok is false
                    var ok = (bool)(await Call(_auditor, "check"))!;
                    if (ok) responder.Respond(true, _balance);
                    break;
                case "twice":
                    var r = Response();
                    if (message.Args.Length > 2) r.Respond(false);
                    r.Respond(true);                            // SKY1006 completed twice on one path
                    break;
                case "mixed":
                    var kept = Response();
                    Fork(() => kept.Respond(true));
                    Ret("now");                                 // SKY1007 Ret after Response()
                    break;
                case "audit": Log("audited"); break;
            }
        });
        return default;
    }

    async ValueTask<int> Deposit(int amount)
    {
        var before = _balance;
        await Call(_auditor, "audit", amount);
        _balance = before + amount;                             // SKY1001 read before the await, written after
        await Call(Self, "balance");                            // SKY1002 awaits a request to itself
        _db.Req.Set("last", amount.ToString());                 // SKY1003 the request's task is dropped
        Thread.Sleep(10);                                       // SKY1011 blocking wait
        await Task.Delay(1).ConfigureAwait(false);              // SKY1012 leaves the service
        return _balance;
    }

    async void Tick() => await Sleep(TimeSpan.FromSeconds(1));  // SKY1010 async void

    readonly Dictionary<int, string> _online = new();
    readonly Dictionary<int, Responder> _waiting = new();

    async ValueTask Join(int uid)
    {
        if (_online.ContainsKey(uid)) return;
        var name = (string)(await Call(_auditor, "profile", uid))!;
        _online[uid] = name;                                    // SKY1001 checked before the await, set after it
    }

    void Wait(int uid) => _waiting[uid] = Response();           // SKY1005 parked in a field, answered nowhere
}

[Service]
public partial class Shop : Service
{
    [Accept] public int Buy(string item) => 1;                  // SKY1008 [Accept] returns a value
    [Response] public void Restock() { }                        // SKY1009 [Response] returns void
    [Accept] public void Pay(ref int amount, Plain receipt) { } // SKY1013 ref and non-packable parameters
}

[Service]
public class Cart : Service { }                                 // SKY1014 not partial

[Service]
public partial class Wallet { }                                 // SKY1015 not a Service
