using System.Threading.Channels;
using MemoryPack;
using Skynet.Runtime.Tests.TestSupport;

namespace Skynet.Runtime.Tests.SharedData;

[MemoryPackable]
public sealed partial record SheetRow(int Id, string Name, int Price);

[MemoryPackable]
public sealed partial record PriceSheet(int Revision, IReadOnlyList<SheetRow> Rows);

/// <summary>Shared tables loaded from MemoryPack binary sheets: hot reload, snapshot semantics, bad files.</summary>
public sealed class SharedSheetTests : IDisposable
{
    readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("skynet-sheet-");

    string SheetPath => Path.Combine(_directory.FullName, "prices.bin");

    public void Dispose() => _directory.Delete(recursive: true);

    static PriceSheet Sheet(int revision, params string[] names) =>
        new(revision, [.. names.Select((name, i) => new SheetRow(i + 1, name, (i + 1) * 10))]);

    /// <summary>Replaces the file in one step (write beside it, rename over it), as a build tool deploying a sheet does.</summary>
    void Deploy(byte[] bytes)
    {
        var temporary = Path.Combine(_directory.FullName, $"prices.{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, SheetPath, overwrite: true);
    }

    [Fact]
    public async Task A_binary_sheet_loads_and_reloads_when_the_file_changes_and_readers_keep_their_version()
    {
        await using var node = new TestNode();
        var shared = Skynet.SharedData.On(node.Node);
        Deploy(MemoryPackSerializer.Serialize(Sheet(1, "sword", "shield")));

        var first = await TestNode.Within(shared.LoadMemoryPack<PriceSheet>("prices", SheetPath));
        Assert.Equal(1, first.Version);
        Assert.Equal(["sword", "shield"], first.As<PriceSheet>().Rows.Select(r => r.Name));
        Assert.Same(first, await shared.Query("prices"));
        var notices = await SharedDataTests.Watcher(node, "prices");

        Deploy(MemoryPackSerializer.Serialize(Sheet(2, "axe")));

        var second = await TestNode.Within(notices.ReadAsync().AsTask());
        Assert.Equal((2L, 2), (second.Version, second.As<PriceSheet>().Revision));
        Assert.Same(second, await shared.Query("prices"));                              // the notice is what queries get
        Assert.Equal(["sword", "shield"], first.As<PriceSheet>().Rows.Select(r => r.Name)); // a held snapshot is unchanged
    }

    [Fact]
    public async Task A_truncated_or_corrupt_sheet_is_reported_and_the_current_snapshot_stays()
    {
        await using var node = new TestNode();
        var shared = Skynet.SharedData.On(node.Node);
        var good = MemoryPackSerializer.Serialize(Sheet(1, "sword", "shield", "bow"));
        Deploy(good);
        var current = await TestNode.Within(shared.LoadMemoryPack<PriceSheet>("prices", SheetPath));
        var notices = await SharedDataTests.Watcher(node, "prices");

        Deploy(good[..(good.Length / 2)]);                                              // a copy cut short
        Assert.Contains(SheetPath, await TestNode.Within(node.Logs.WaitFor("is not a MemoryPack PriceSheet (")));
        Assert.Same(current, await shared.Query("prices"));

        Deploy([.. good, 1, 2, 3]);                                                     // something else after the sheet
        await TestNode.Within(node.Logs.WaitFor("3 byte(s) follow the value"));
        Assert.Same(current, await shared.Query("prices"));

        var hugeCount = (byte[])good.Clone();                                           // the row count says 2^31-1
        BitConverter.TryWriteBytes(hugeCount.AsSpan(1 + 4), int.MaxValue);
        Deploy(hugeCount);
        await TestNode.Within(node.Logs.WaitFor($"({hugeCount.Length} bytes)"));
        Assert.Same(current, await shared.Query("prices"));
        Assert.Equal(1, current.Version);

        Deploy(MemoryPackSerializer.Serialize(Sheet(2, "axe")));                         // the next good file is taken
        var fixedUp = await TestNode.Within(notices.ReadAsync().AsTask());
        Assert.Equal((2L, "axe"), (fixedUp.Version, fixedUp.As<PriceSheet>().Rows[0].Name));
        Assert.False(notices.TryRead(out _));                                           // no version for the bad files
    }

    [Fact]
    public async Task A_first_load_of_a_bad_or_missing_sheet_fails_the_caller_and_creates_no_table()
    {
        await using var node = new TestNode();
        var shared = Skynet.SharedData.On(node.Node);
        Deploy([0x05, 0x00]);

        var bad = await Assert.ThrowsAsync<CallFailedException>(() => TestNode.Within(shared.LoadMemoryPack<PriceSheet>("prices", SheetPath)));
        Assert.Contains("is not a MemoryPack PriceSheet", bad.Message);
        Assert.Null(await shared.Query("prices"));
        var missing = await Assert.ThrowsAsync<CallFailedException>(() => TestNode.Within(shared.LoadMemoryPack<PriceSheet>("other", SheetPath + ".none")));
        Assert.Contains("FileNotFoundException", missing.Message);
        Deploy(MemoryPackSerializer.Serialize<PriceSheet?>(null));
        Assert.Contains("holds a null PriceSheet", (await Assert.ThrowsAsync<CallFailedException>(() => TestNode.Within(shared.LoadMemoryPack<PriceSheet>("prices", SheetPath)))).Message);
    }

    [Fact]
    public async Task Sixty_four_readers_of_a_binary_sheet_share_one_instance()
    {
        await using var node = new TestNode();
        Deploy(MemoryPackSerializer.Serialize(Sheet(1, [.. Enumerable.Range(0, 1000).Select(i => $"item{i}")])));
        var loaded = await TestNode.Within(Skynet.SharedData.On(node.Node).LoadMemoryPack<PriceSheet>("prices", SheetPath));

        var reads = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => node.Inside(async _ => (await Skynet.SharedData.Query("prices"))!)));

        Assert.All(reads, read => Assert.Same(loaded.Value, read.Value));
    }
}
