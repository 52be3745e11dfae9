namespace Skynet.Samples.ClusterNodes;

/// <summary>
/// skynet's <c>examples/cluster1.lua</c>, line for line: nodes <c>db</c> and <c>db2</c> in one process, a simpledb
/// registered as <c>@sdb</c>, and the snax pingserver.
/// </summary>
/// <param name="db">Where <c>db</c> listens (skynet: <c>127.0.0.1:2528</c>).</param>
/// <param name="db2">Where <c>db2</c> listens (skynet: <c>127.0.0.1:2529</c>).</param>
/// <param name="print">Lua's <c>print</c>.</param>
public sealed class Cluster1(string db, string db2, Action<string> print) : Service
{
    readonly TaskCompletionSource<(ClusterEndPoint Db, ClusterEndPoint Db2)> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the bound addresses once both nodes listen (for callers that asked for port 0).</summary>
    public Task<(ClusterEndPoint Db, ClusterEndPoint Db2)> Listening => _listening.Task;

    /// <inheritdoc/>
    protected override async ValueTask OnStart(object?[] args)
    {
        try
        {
            await Cluster.Reload(new Dictionary<string, object?> { ["db"] = db, ["db2"] = db2 });

            var sdb = await Node.NewService(new SimpleDb());
            // register name "sdb" for simpledb, you can use cluster.query() later. See Cluster2.
            Cluster.Register("sdb", sdb);
            Cluster.Unregister("sdb");
            Cluster.Register("sdb", sdb);

            print(LuaPrint.Line(await Call(sdb, "SET", "a", "foobar")));
            print(LuaPrint.Line(await Call(sdb, "SET", "b", "foobar2")));
            print(LuaPrint.Line(await Call(sdb, "GET", "a")));
            print(LuaPrint.Line(await Call(sdb, "GET", "b")));
            var dbEnd = await Cluster.Open("db");
            var db2End = await Cluster.Open("db2");
            // unique snax service
            var pingserver = await Snax.UniqueService<PingServer>();
            await Cluster.PublishSnax("pingserver", pingserver.Target);
            _listening.TrySetResult((dbEnd, db2End));
        }
        catch (Exception ex)
        {
            _listening.TrySetException(ex);
            throw;
        }
    }
}
