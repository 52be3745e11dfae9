using System.Collections.Frozen;

namespace Skynet.Benchmarks;

/// <summary>
/// sharedata_readers: one ~100 MB table (a frozen dictionary of 400 000 rows) published with <see cref="SharedData"/>,
/// then 64 services query it and keep their snapshot. Reports the managed heap the table takes, what the 64 readers
/// added to it (after full collections), and that as a number of table copies: one copy in all means ~0 here.
/// </summary>
internal sealed class SharedDataReaders : Benchmark
{
    const int Readers = 64;

    public override string Name => "sharedata_readers";

    public override async Task RunAsync(Run run)
    {
        if (run.IsWarmup) return; // a 100 MB table twice gains nothing
        var node = StartNode(run);
        try
        {
            var before = Heap();
            var table = Build(rows: 400_000);
            var tableBytes = Heap() - before;
            await SharedData.On(node).New("items", table);

            var baseline = Heap();
            var readers = new List<Address>();
            for (var i = 0; i < Readers; i++) readers.Add(await node.NewService(new Reader()));
            var afterSpawn = Heap();
            foreach (var reader in readers) await node.Call(reader, PType.Lua, "query");
            var afterQueries = Heap();
            foreach (var reader in readers)
                Run.Check(ReferenceEquals(await node.Call(reader, PType.Lua, "table"), table), "a reader holds another table than the one published");

            var readerBytes = afterQueries - afterSpawn; // what holding the table cost the 64 readers
            run.Result(("readers", Readers), ("table_bytes", tableBytes), ("readers_heap_bytes", readerBytes),
                ("bytes_per_reader", readerBytes / (double)Readers), ("table_copies", 1 + readerBytes / (double)tableBytes));
            run.Comment($"{Name}_services", ("heap_bytes_for_64_idle_services", afterSpawn - baseline));
            GC.KeepAlive(table);
        }
        finally
        {
            await node.StopAsync();
        }
    }

    static long Heap() => GC.GetTotalMemory(forceFullCollection: true);

    static FrozenDictionary<int, string> Build(int rows)
    {
        var dictionary = new Dictionary<int, string>(rows);
        for (var i = 0; i < rows; i++) dictionary[i] = $"row {i:D8} " + new string((char)('a' + i % 26), 100);
        return dictionary.ToFrozenDictionary();
    }

    sealed class Reader : Service
    {
        SharedSnapshot? _held;

        protected override ValueTask OnStart(object?[] args)
        {
            Dispatch(PType.Lua, async m =>
            {
                if ((string)m.Payload! == "query") _held = await SharedData.Query("items");
                Ret(_held?.Value);
            });
            return default;
        }
    }
}
