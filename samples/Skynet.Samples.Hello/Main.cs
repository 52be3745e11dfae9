using Skynet;

namespace Skynet.Samples.Hello;

/// <summary>The bootstrap service: walks through send/call, names, reentrancy and timers, then stops the node.</summary>
public sealed class Main : Service
{
    protected override ValueTask OnStart(object?[] args)
    {
        Log($"main started at {Self}, node harbor {Node.Harbor}, {Node.ThreadCount} worker threads");
        // OnStart must return for NewService to finish; the tour runs as a coroutine of its own.
        Fork(Tour);
        return default;
    }

    async ValueTask Tour()
    {
        // 1. send and call
        var echo = await NewService("echo");
        Send(echo, "hello, one-way");
        Log($"call echo -> {await Call(echo, "hello, round trip")}");

        // 2. a named snax service: the tutorial's .mydb, with typed post/req
        var mydb = await Snax.NewService<MyDb>();
        mydb.Post.Set("name", "skynet for .NET");
        Log($"mydb.Req.Get(name) -> {await mydb.Req.Get("name")}");
        var named = Snax.Bind<MyDb>(LocalName(".mydb")!.Value);
        Log($".mydb (bound by name) Get(name) -> {await named.Req.Get("name")}");

        // 2b. the tutorial's simplesnax: hello (post), echo (req), quit
        var simple = await Snax.NewService<SimpleSnax>("hello");
        simple.Post.Hello("world");
        Log($"simplesnax echo -> {await simple.Req.Echo("snax")}");
        var reply = await simple.Req.Greet(new Greeting("main", ["from", "the", "tour"]));
        Log($"simplesnax greet -> {reply.From}: {string.Join(' ', reply.Words)}");
        simple.Post.Quit();

        // 3. the reentrancy hazard, then the fix
        var auditor = await NewService("auditor");
        var bank = await NewService("bank", auditor);
        await DepositTenTimes(bank, "deposit");
        Log($"10 concurrent deposits of 10 without a critical section -> balance {await Call(bank, "balance")} (updates were lost)");
        await Call(bank, "reset");
        await DepositTenTimes(bank, "deposit_safe");
        Log($"10 concurrent deposits of 10 inside a CriticalSection -> balance {await Call(bank, "balance")}");

        // 4. a timer, a sleep and a wake-up
        var start = Now;
        var fired = new object();
        SetTimeout(TimeSpan.FromMilliseconds(100), () => { Log($"timeout fired after {Now - start} cs"); Wakeup(fired); });
        var woken = await Sleep(TimeSpan.FromSeconds(10), fired);
        Log($"sleep ended early: {woken}; {Node.ListServices().Count} services alive");

        if (GetEnv("Stay") == "true")
        {
            Log("tour done; staying up (--stay) until SIGINT/SIGTERM");
            return;
        }
        Log("tour done; stopping the node");
        Node.Shutdown();
    }

    async ValueTask DepositTenTimes(Address bank, string command)
    {
        var done = 0;
        var all = new object();
        for (var i = 0; i < 10; i++)
        {
            Fork(async () =>
            {
                await Call(bank, command, 10);
                if (++done == 10) Wakeup(all);
            });
        }
        await Wait(all);
    }
}
