using Microsoft.Extensions.Logging;

namespace Skynet;

/// <summary>
/// skynet's <c>sharedatad</c>: keeps the current <see cref="SharedSnapshot"/> of every named table, hands the same
/// snapshot to every reader, and announces each new version on the table's multicast channel. Tables loaded from a
/// file are reloaded when the file changes. Use it through <see cref="SharedData"/> / <see cref="SharedDataClient"/>;
/// it runs once per node as the unique service <see cref="SharedData.ServiceName"/>, named <c>.sharedatad</c>.
/// </summary>
public sealed class SharedDataService : Service
{
    /// <summary>The local name the service registers.</summary>
    public const string LocalServiceName = ".sharedatad";

    readonly Dictionary<string, Table> _tables = new(StringComparer.Ordinal);

    sealed class Table(SharedSnapshot current, MulticastChannel channel)
    {
        public SharedSnapshot Current = current;
        public readonly MulticastChannel Channel = channel;
        public SharedFileSource? File;
    }

    /// <inheritdoc/>
    protected override ValueTask OnStart(object?[] args)
    {
        Register(LocalServiceName);
        Dispatch(PType.Lua, Command);
        return default;
    }

    /// <inheritdoc/>
    protected override ValueTask OnExit()
    {
        foreach (var table in _tables.Values) table.File?.Dispose();
        return default;
    }

    async ValueTask Command(Message message)
    {
        switch (message.Args)
        {
            case ["NEW", string name, { } value]:
                Ret(await Create(name, value, file: null));
                return;
            case ["QUERY", string name]:
                Ret(_tables.TryGetValue(name, out var queried) ? queried.Current : null);
                return;
            case ["UPDATE", string name, { } value]:
                Ret(Replace(Find(name), value));
                return;
            case ["DELETE", string name]:
                Ret(Delete(name));
                return;
            case ["CHANNEL", string name]:
                Ret(Find(name).Channel.Id);
                return;
            case ["LOAD", string name, SharedFileSource file]:
                Ret(await Load(name, file));
                return;
            case ["RELOAD", string name, SharedFileSource file]:
                await Reload(name, file);
                return;
            default:
                throw new ArgumentException($"sharedata: unknown command from {message.Source}; use SharedData.New/Query/Update/Delete.");
        }
    }

    async ValueTask<SharedSnapshot> Create(string name, object value, SharedFileSource? file)
    {
        if (_tables.ContainsKey(name)) throw new InvalidOperationException($"Shared table '{name}' already exists; use Update to replace its value.");
        var channel = await Multicast.New(Node);
        if (_tables.ContainsKey(name)) throw new InvalidOperationException($"Shared table '{name}' already exists; use Update to replace its value.");
        var table = new Table(new SharedSnapshot(name, 1, value), channel) { File = file };
        _tables[name] = table;
        return table.Current;
    }

    SharedSnapshot Replace(Table table, object value)
    {
        table.Current = table.Current with { Version = table.Current.Version + 1, Value = value };
        table.Channel.Publish(table.Current); // the watchers get the very snapshot new queries get
        return table.Current;
    }

    bool Delete(string name)
    {
        if (!_tables.Remove(name, out var table)) return false;
        table.File?.Dispose();
        table.Channel.Publish(table.Current with { Version = table.Current.Version + 1, Value = null });
        table.Channel.Delete();
        return true;
    }

    async ValueTask<SharedSnapshot> Load(string name, SharedFileSource file)
    {
        var (value, _) = await file.Read(); // a first load that fails fails the caller
        var snapshot = await Create(name, value, file);
        var node = Node;
        var self = Self;
        file.Watch(() =>
        {
            // A killed service runs no exit hook: the first change nobody can take stops the watcher.
            if (!node.Send(self, PType.Lua, new object?[] { "RELOAD", name, file })) file.Dispose();
        });
        return snapshot;
    }

    async ValueTask Reload(string name, SharedFileSource file)
    {
        if (!_tables.TryGetValue(name, out var table) || table.File != file) return; // deleted or replaced meanwhile
        object value;
        try
        {
            var (loaded, changed) = await file.Read();
            if (!changed) return; // one save raises several file events; the content decides
            value = loaded;
        }
        catch (Exception ex)
        {
            Log(LogLevel.Warning, $"sharedata: reloading '{name}' from {file.Path} failed, keeping version {table.Current.Version}: {ex.GetType().Name}: {ex.Message}");
            return;
        }
        if (_tables.TryGetValue(name, out var current) && current == table)
        {
            Replace(table, value);
            Log(LogLevel.Information, $"sharedata: '{name}' reloaded from {file.Path} as version {table.Current.Version}");
        }
    }

    Table Find(string name) => _tables.TryGetValue(name, out var table)
        ? table
        : throw new InvalidOperationException($"There is no shared table '{name}'; create it with SharedData.New.");
}
