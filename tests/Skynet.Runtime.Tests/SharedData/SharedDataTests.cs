using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.SharedData;

public sealed record Item(int Id, string Name);

public sealed record ItemTable(int Revision, IReadOnlyList<Item> Items);

[JsonSerializable(typeof(ItemTable))]
internal sealed partial class SharedDataJson : JsonSerializerContext;

public class SharedDataTests
{
    /// <summary>A service that watches a table and hands every change notice to the test.</summary>
    internal static async Task<ChannelReader<SharedSnapshot>> Watcher(TestNode node, string name)
    {
        var notices = Channel.CreateUnbounded<SharedSnapshot>();
        await node.Spawn(async (_, _) => await Skynet.SharedData.Watch(name, snapshot =>
        {
            notices.Writer.TryWrite(snapshot);
            return default;
        }));
        return notices.Reader;
    }

    [Fact]
    public async Task Sixty_four_readers_share_one_table_instance()
    {
        await using var node = new TestNode();
        var table = Enumerable.Range(0, 100_000).ToFrozenDictionary(i => i, i => $"item {i}");
        await Skynet.SharedData.On(node.Node).New("items", table);

        var seen = new object?[64];
        for (var i = 0; i < seen.Length; i++)
        {
            var slot = i;
            seen[slot] = await node.Inside(async _ => (await Skynet.SharedData.Query("items"))!.Value);
        }

        Assert.All(seen, value => Assert.Same(table, value)); // no copy per reader: the one table, 64 times
    }

    [Fact]
    public async Task An_update_leaves_held_snapshots_alone_and_reaches_new_queries_and_watchers()
    {
        await using var node = new TestNode();
        var shared = Skynet.SharedData.On(node.Node);
        var first = await shared.New("config", new ItemTable(1, [new Item(1, "sword")]));
        var notices = await Watcher(node, "config");
        var held = (await shared.Query("config"))!;

        var second = await shared.Update("config", new ItemTable(2, [new Item(1, "sword"), new Item(2, "shield")]));

        Assert.Same(first, held);
        Assert.Equal(1, held.Version);
        Assert.Equal(1, held.As<ItemTable>().Revision);
        Assert.Equal(2, second.Version);
        Assert.Same(second, await shared.Query("config"));
        var notice = await TestNode.Within(notices.ReadAsync().AsTask());
        Assert.Same(second, notice);
        Assert.Equal("shield", notice.As<ItemTable>().Items[1].Name);
    }

    [Fact]
    public async Task A_deleted_table_is_gone_and_its_watchers_hear_it()
    {
        await using var node = new TestNode();
        var shared = Skynet.SharedData.On(node.Node);
        await shared.New("gone", "value");
        var notices = await Watcher(node, "gone");

        Assert.True(await shared.Delete("gone"));

        Assert.Null(await shared.Query("gone"));
        Assert.False(await shared.Delete("gone"));
        var notice = await TestNode.Within(notices.ReadAsync().AsTask());
        Assert.True(notice.IsDeleted);
        await shared.New("gone", "again"); // the name is free again
    }

    [Fact]
    public async Task A_json_file_loads_with_source_generated_metadata_and_reloads_when_it_changes()
    {
        await using var node = new TestNode();
        var shared = Skynet.SharedData.On(node.Node);
        var directory = Directory.CreateTempSubdirectory("skynet-sharedata-");
        try
        {
            var path = Path.Combine(directory.FullName, "items.json");
            await File.WriteAllTextAsync(path, """{ "Revision": 1, "Items": [ { "Id": 1, "Name": "sword" } ] }""");
            var loaded = await shared.LoadJson("items", path, SharedDataJson.Default.ItemTable);
            Assert.Equal("sword", loaded.As<ItemTable>().Items[0].Name);
            var notices = await Watcher(node, "items");

            await File.WriteAllTextAsync(path, """{ "Revision": 2, "Items": [ { "Id": 1, "Name": "axe" } ] }""");
            var reloaded = await TestNode.Within(notices.ReadAsync().AsTask());
            Assert.Equal((2, "axe"), (reloaded.As<ItemTable>().Revision, reloaded.As<ItemTable>().Items[0].Name));
            Assert.Same(reloaded, await shared.Query("items"));

            // A broken file is reported and the current version stays; the next good save is picked up.
            await File.WriteAllTextAsync(path, """{ "Revision": 3, "Items": [ """);
            await TestNode.Within(node.Logs.WaitFor("reloading 'items'"));
            Assert.Equal(2, (await shared.Query("items"))!.As<ItemTable>().Revision);
            await File.WriteAllTextAsync(path, """{ "Revision": 4, "Items": [] }""");
            var fixedUp = await TestNode.Within(notices.ReadAsync().AsTask());
            Assert.Equal(4, fixedUp.As<ItemTable>().Revision);
        }
        finally
        {
            await shared.Delete("items");
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task An_untyped_json_file_loads_as_a_read_only_element()
    {
        await using var node = new TestNode();
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, """{ "port": 8888, "names": ["a", "b"] }""");
            var snapshot = await Skynet.SharedData.On(node.Node).LoadJson("conf", path);
            var root = snapshot.As<JsonElement>();
            Assert.Equal(8888, root.GetProperty("port").GetInt32());
            Assert.Equal(2, root.GetProperty("names").GetArrayLength());
        }
        finally
        {
            await Skynet.SharedData.On(node.Node).Delete("conf");
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Misuse_and_bad_files_get_clear_errors()
    {
        await using var node = new TestNode();
        var shared = Skynet.SharedData.On(node.Node);
        await shared.New("one", 1);

        Assert.Contains("already exists", (await Assert.ThrowsAsync<CallFailedException>(() => shared.New("one", 2))).Message);
        Assert.Contains("no shared table 'two'", (await Assert.ThrowsAsync<CallFailedException>(() => shared.Update("two", 2))).Message);
        await Assert.ThrowsAsync<ArgumentNullException>(() => shared.New("three", null!));
        await Assert.ThrowsAsync<ArgumentException>(() => shared.Query(""));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Skynet.SharedData.Query("one"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => shared.Watch("one", _ => default));
        Assert.Throws<InvalidCastException>(() => (shared.Query("one").Result)!.As<string>());

        var bad = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(bad, "{ not json");
            Assert.Contains("JsonException", (await Assert.ThrowsAsync<CallFailedException>(() => shared.LoadJson("bad", bad, SharedDataJson.Default.ItemTable))).Message);
            Assert.Contains("FileNotFoundException", (await Assert.ThrowsAsync<CallFailedException>(() => shared.LoadJson("missing", bad + ".none"))).Message);
            Assert.Null(await shared.Query("bad"));
        }
        finally
        {
            File.Delete(bad);
        }
    }
}
