using Npgsql;
using Skynet.Samples.PlayerStore;

namespace Skynet.Modules.Tests.PlayerStore;

/// <summary>The player store against a real PostgreSQL server started for these tests.</summary>
public sealed class PlayerStoreTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    SkynetNode _node = null!;
    Address _store;

    public async Task InitializeAsync()
    {
        await using (var db = NpgsqlDataSource.Create(postgres.ConnectionString))
        await using (var cmd = db.CreateCommand("DROP TABLE IF EXISTS players"))
            await cmd.ExecuteNonQueryAsync();
        _node = new SkynetNode(new SkynetOptions { Threads = 1 }); // one worker: any blocking wait would stall everything
        _node.Start();
        _store = await _node.NewService(new global::Skynet.Samples.PlayerStore.PlayerStore(postgres.ConnectionString)).WaitAsync(Patience);
    }

    public async Task DisposeAsync() => await _node.StopAsync(TimeSpan.FromSeconds(5));

    [Fact]
    public async Task Concurrent_callers_save_and_load_their_players()
    {
        const int callers = 24, perCaller = 10;
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var failures = new List<string>();
        var finished = 0;
        for (var c = 0; c < callers; c++)
        {
            var caller = c;
            await _node.NewService(new Caller(async self =>
            {
                try
                {
                    var saves = new List<Task<object?>>();
                    for (var i = 0; i < perCaller; i++)
                    {
                        var id = caller * 1000L + i;
                        saves.Add(self.Call(_store, "save", new Player(id, $"p{id}", i, id * 7)).AsTask());
                    }
                    await Task.WhenAll(saves);
                    for (var i = 0; i < perCaller; i++)
                    {
                        var id = caller * 1000L + i;
                        var loaded = (Player?)await self.Call(_store, "load", id);
                        if (loaded != new Player(id, $"p{id}", i, id * 7)) lock (failures) failures.Add($"{id}: {loaded}");
                    }
                    // A second round of saves updates in place.
                    await self.Call(_store, "save", new Player(caller * 1000L, "renamed", 99, 1));
                }
                catch (Exception e)
                {
                    lock (failures) failures.Add(e.Message);
                }
                if (Interlocked.Increment(ref finished) == callers) done.TrySetResult(true);
            }));
        }
        await done.Task.WaitAsync(Patience);
        Assert.Empty(failures);
        Assert.Equal((long)callers * perCaller, await _node.Call(_store, "count").WaitAsync(Patience));
        Assert.Equal(new Player(5000, "renamed", 99, 1), await _node.Call(_store, "load", 5000L).WaitAsync(Patience));
        Assert.Null(await _node.Call(_store, "load", 999_999L).WaitAsync(Patience));
    }

    [Fact]
    public async Task A_statement_waiting_on_the_database_does_not_block_the_worker()
    {
        await _node.Call(_store, "save", new Player(1, "a", 1, 1)).WaitAsync(Patience);
        var ping = await _node.NewService(new Caller(null));

        // Hold a lock that the store's next save must wait for, inside PostgreSQL.
        await using var db = NpgsqlDataSource.Create(postgres.ConnectionString);
        await using var locker = await db.OpenConnectionAsync();
        await using var tx = await locker.BeginTransactionAsync();
        await using (var cmd = new NpgsqlCommand("LOCK TABLE players IN ACCESS EXCLUSIVE MODE", locker, tx))
            await cmd.ExecuteNonQueryAsync();

        var save = _node.Call(_store, "save", new Player(1, "b", 2, 2));
        await WaitUntilBlockedOnLock(db);
        Assert.False(save.IsCompleted);

        // The only worker thread is free: other services run while the save waits in PostgreSQL.
        for (var i = 0; i < 100; i++) Assert.Equal(i, await _node.Call(ping, "ping", i).WaitAsync(Patience));
        Assert.False(save.IsCompleted);

        await tx.CommitAsync();
        Assert.Equal(true, await save.WaitAsync(Patience));
        Assert.Equal(new Player(1, "b", 2, 2), await _node.Call(_store, "load", 1L).WaitAsync(Patience));
    }

    [Fact]
    public async Task Calls_fail_cleanly_while_the_database_is_down_and_recover_after_restart()
    {
        await _node.Call(_store, "save", new Player(7, "seven", 7, 700)).WaitAsync(Patience);
        await postgres.Stop();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var e = await Assert.ThrowsAsync<CallFailedException>(() => _node.Call(_store, "load", 7L).WaitAsync(Patience));
                Assert.Equal(CallFailure.HandlerFailed, e.Failure);
                Assert.Contains("load player 7 failed", e.Message);
            }
            var save = await Assert.ThrowsAsync<CallFailedException>(() => _node.Call(_store, "save", new Player(8, "eight", 8, 8)).WaitAsync(Patience));
            Assert.Contains("save player 8 failed", save.Message);
        }
        finally
        {
            await postgres.Start();
        }
        // The very first call after the restart succeeds: the store dropped its dead connections.
        Assert.Equal(new Player(7, "seven", 7, 700), await _node.Call(_store, "load", 7L).WaitAsync(Patience));
        Assert.Equal(true, await _node.Call(_store, "save", new Player(8, "eight", 8, 8)).WaitAsync(Patience));
        Assert.Equal(2L, await _node.Call(_store, "count").WaitAsync(Patience));
    }

    static async Task WaitUntilBlockedOnLock(NpgsqlDataSource db)
    {
        // Wait for the condition itself (a lock request not granted), each check a round trip to the server.
        using var deadline = new CancellationTokenSource(Patience);
        while (true)
        {
            await using var cmd = db.CreateCommand("SELECT count(*) FROM pg_locks WHERE NOT granted");
            if ((long)(await cmd.ExecuteScalarAsync(deadline.Token))! > 0) return;
        }
    }

    /// <summary>A service that runs <paramref name="body"/> once, and answers <c>"ping", n</c> with n.</summary>
    sealed class Caller(Func<Service, Task>? body) : Service
    {
        protected override ValueTask OnStart(object?[] args)
        {
            Dispatch(PType.Lua, message =>
            {
                Ret(message.Args[1]);
                return default;
            });
            if (body is not null) Fork(async () => await body(this));
            return default;
        }
    }
}
