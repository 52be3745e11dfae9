using System.Net.Sockets;
using Npgsql;

namespace Skynet.Samples.PlayerStore;

/// <summary>
/// A player store on PostgreSQL, in the shape of skynet's database services (<c>examples/main_mysql.lua</c>,
/// <c>simpledb.lua</c>): commands <c>"load", id</c> (replies with the <see cref="Player"/> or null),
/// <c>"save", player</c> (upsert; replies with true) and <c>"count"</c>.
/// </summary>
/// <remarks>
/// Every statement is awaited with Npgsql's async API, so while one waits on the database the worker thread runs other
/// services, and this service handles its other requests (skynet's reentrancy at every blocking call). Connections
/// come from the data source's pool, one per statement in flight. When the database goes away a call fails at once
/// with <see cref="PlayerStoreException"/> (the caller's <c>Call</c> throws); the pool is cleared so that the first
/// call after the database is back opens fresh connections instead of finding dead ones.
/// </remarks>
/// <param name="connectionString">An Npgsql connection string.</param>
public sealed class PlayerStore(string connectionString) : Service
{
    NpgsqlDataSource? _db;

    /// <inheritdoc/>
    protected override async ValueTask OnStart(object?[] args)
    {
        _db = NpgsqlDataSource.Create(connectionString);
        await Execute("create table", async connection =>
        {
            await using var cmd = new NpgsqlCommand("""
                CREATE TABLE IF NOT EXISTS players (
                    id bigint PRIMARY KEY,
                    name text NOT NULL,
                    level integer NOT NULL,
                    gold bigint NOT NULL,
                    updated_at timestamptz NOT NULL DEFAULT now())
                """, connection);
            return await cmd.ExecuteNonQueryAsync();
        });
        Dispatch(PType.Lua, async message =>
        {
            switch (message.Args)
            {
                case ["load", long id]:
                    Ret(await Load(id));
                    return;
                case ["save", Player player]:
                    await Save(player);
                    Ret(true);
                    return;
                case ["count"]:
                    Ret(await Count());
                    return;
                default:
                    throw new InvalidOperationException($"Unknown command {message.Args.FirstOrDefault()}: use load(id), save(player) or count");
            }
        });
    }

    /// <inheritdoc/>
    protected override async ValueTask OnExit()
    {
        if (_db is not null) await _db.DisposeAsync();
    }

    Task<Player?> Load(long id) => Execute($"load player {id}", async connection =>
    {
        await using var cmd = new NpgsqlCommand("SELECT id, name, level, gold FROM players WHERE id = $1", connection);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new Player(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt64(3))
            : null;
    });

    Task<int> Save(Player player) => Execute($"save player {player.Id}", async connection =>
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO players (id, name, level, gold) VALUES ($1, $2, $3, $4)
            ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level, gold = EXCLUDED.gold, updated_at = now()
            """, connection);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = player.Id });
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = player.Name });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = player.Level });
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = player.Gold });
        return await cmd.ExecuteNonQueryAsync();
    });

    Task<long> Count() => Execute("count players", async connection =>
    {
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM players", connection);
        return (long)(await cmd.ExecuteScalarAsync())!;
    });

    async Task<T> Execute<T>(string what, Func<NpgsqlConnection, Task<T>> statement)
    {
        try
        {
            await using var connection = await _db!.OpenConnectionAsync();
            return await statement(connection);
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
        {
            // A dead server leaves dead connections in the pool: drop them so recovery needs no extra failed call.
            if (e is not PostgresException { SqlState: var state } || state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("57", StringComparison.Ordinal))
                _db!.Clear(); // 08: connection exception; 57: the server shut down (admin shutdown, crash, cannot connect now)
            throw new PlayerStoreException($"{what} failed: {e.Message}", e);
        }
    }
}
