namespace Skynet.Samples.ClusterNodes;

/// <summary>
/// skynet's snax <c>test/pingserver.lua</c>. The <c>[Id]</c> numbers are the ones <c>snax.interface</c> gives the Lua
/// file (1–4 init/exit/hotfix/profile, then its functions in order), so a Lua <c>cluster.snax(node, "pingserver")</c>
/// calls this service unchanged. Lua's <c>print</c> lines go to the service's log here.
/// </summary>
[Service]
public sealed partial class PingServer : Service
{
    readonly CriticalSection _lock = new(); // response.sleep and accept.hello share one lock
    int _i;

    void OnInit()
    {
        Log("ping server start:");
        SnaxCluster.EnableCluster(this); // snax.enablecluster()
    }

    /// <summary><c>response.ping</c>: answers after a second.</summary>
    [Response, Id(5)]
    public async ValueTask<string> Ping(string hello)
    {
        await Sleep(TimeSpan.FromSeconds(1));
        return hello;
    }

    /// <summary><c>accept.sleep</c>: sleeps <paramref name="n"/> centiseconds, inside the lock when <paramref name="queue"/>.</summary>
    [Accept, Id(6)]
    public ValueTask Doze(bool queue, int n)
    {
        async ValueTask Body()
        {
            Log(LuaPrint.Line("queue=", queue, n));
            await Sleep(TimeSpan.FromMilliseconds(n * 10));
        }
        return queue ? _lock.Run(Body) : Body();
    }

    /// <summary><c>accept.hello</c>.</summary>
    [Accept, Id(7)]
    public ValueTask Hello() => _lock.Run(() =>
    {
        _i++;
        Log(LuaPrint.Line(_i, "hello"));
        return ValueTask.CompletedTask;
    });

    /// <summary><c>accept.exit</c>.</summary>
    [Accept, Id(8)]
    public void Quit() => Exit();

    /// <summary><c>response.error</c>.</summary>
    [Response, Id(9)]
    public string Error() => throw new InvalidOperationException("throw an error");
}
