using Microsoft.Extensions.Configuration;
using Skynet.Samples.ClusterNodes;

namespace Skynet.ClusterTests;

/// <summary>The sample's two roles (cluster1.lua and cluster2.lua) against each other, on free ports.</summary>
public sealed class SampleTests
{
    [Fact]
    public async Task Cluster2_completes_against_cluster1_with_cluster2_lua_output()
    {
        await using var db = new Node("db");
        await using var client = new Node("client");
        var dbPrinted = new List<string>();
        var cluster1 = new Cluster1("127.0.0.1:0", "127.0.0.1:0", line => { lock (dbPrinted) dbPrinted.Add(line); });
        await Node.Within(db.Skynet.NewService(cluster1));
        var (dbEnd, db2End) = await Node.Within(cluster1.Listening);

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Skynet:Cluster:__nowaiting"] = "true",
            ["Skynet:Cluster:db"] = dbEnd.ToString(),
            ["Skynet:Cluster:db2"] = db2End.ToString(),
        }).Build();
        var printed = new List<string>();
        var cluster2 = new Cluster2(configuration, line => { lock (printed) printed.Add(line); });
        await Node.Within(client.Skynet.NewService(cluster2));
        await Node.Within(cluster2.Completion);

        Assert.Equal(["nil", "nil", "foobar", "foobar2"], dbPrinted);
        Assert.Equal(4, printed.Count);
        Assert.Equal("foobar", printed[0]);
        Assert.Equal("foobar2", printed[1]);
        Assert.StartsWith("false\t", printed[2]);
        Assert.Contains("offline", printed[2]);
        Assert.Equal("hello", printed[3]);
        await db.Logs.WaitFor("ping server start:");
        await db.Logs.WaitFor(" ping proxy");
        await db.Logs.WaitFor(" ping db2:longstringRRRRRR...(102414)");
    }
}
