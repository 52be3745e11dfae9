using Microsoft.Extensions.Configuration;

namespace Skynet.Samples.ClusterNodes;

/// <summary>
/// skynet's <c>examples/cluster2.lua</c>, line for line, against the nodes of <c>Skynet:Cluster</c> (skynet's
/// <c>config.c2</c> + <c>clustername.lua</c>): proxy calls with a 128 KB key and a 100 KB value, cluster calls and
/// sends, <c>db</c> going down, and a call to the snax pingserver on <c>db3</c> once it appears.
/// Unlike cluster2.lua it ends when everything has printed, with <see cref="Completion"/>.
/// </summary>
/// <param name="configuration">Holds <c>Skynet:Cluster</c>.</param>
/// <param name="print">Lua's <c>print</c>.</param>
public sealed class Cluster2(IConfiguration configuration, Action<string> print) : Service
{
    readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when every line was printed; faults when a step failed.</summary>
    public Task Completion => _done.Task;

    /// <inheritdoc/>
    protected override ValueTask OnStart(object?[] args)
    {
        Fork(async () =>
        {
            try
            {
                await Run();
                _done.TrySetResult();
            }
            catch (Exception ex)
            {
                _done.TrySetException(ex);
            }
        });
        return default;
    }

    async ValueTask Run()
    {
        await Cluster.For(Node).Reload(configuration); // config.c2: cluster = "./examples/clustername.lua"

        var proxy = await Cluster.Proxy("db@sdb"); // Cluster.Proxy("db", "@sdb")
        var largekey = new string('X', 128 * 1024);
        var largevalue = new string('R', 100 * 1024);
        await Call(proxy, "SET", largekey, largevalue);
        var v = await Call(proxy, "GET", largekey);
        if (!Equals(largevalue, v)) throw new InvalidOperationException("assertion failed: largevalue == v");
        Send(proxy, "PING", "proxy");

        var forked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Fork(async () =>
        {
            try
            {
                print(LuaPrint.Line(await Cluster.Call("db", "@sdb", "GET", "a")));
                print(LuaPrint.Line(await Cluster.Call("db2", "@sdb", "GET", "b")));
                Cluster.Send("db2", "@sdb", "PING", "db2:longstring" + largevalue);
                forked.TrySetResult();
            }
            catch (Exception ex)
            {
                forked.TrySetException(ex);
            }
        });

        // test snax service
        var timedOut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        SetTimeout(TimeSpan.FromSeconds(3), async () =>
        {
            try
            {
                await Cluster.Reload(new Dictionary<string, object?>
                {
                    ["db"] = false, // db is down
                    ["db3"] = configuration[$"{ClusterClient.ConfigurationSection}:db2"], // cluster2.lua: "127.0.0.1:2529"
                });
                try
                {
                    print(LuaPrint.Line(true, await Cluster.Call("db", "@sdb", "GET", "a"))); // db is down
                }
                catch (CallFailedException ex)
                {
                    print(LuaPrint.Line(false, ex.Message));
                }
                timedOut.TrySetResult();
            }
            catch (Exception ex)
            {
                timedOut.TrySetException(ex);
            }
        });
        await Cluster.Reload(new Dictionary<string, object?> { ["__nowaiting"] = false });
        var pingserver = await Cluster.Snax<PingServer>("db3", "pingserver", SnaxWireFormat.Lua);
        print(LuaPrint.Line(await pingserver.Req.Ping("hello")));

        await forked.Task;
        await timedOut.Task;
    }
}
