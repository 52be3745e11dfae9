using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Skynet;

/// <summary>
/// Publishes and reads one node's shared tables (skynet's <c>sharedata</c> / <c>sharetable</c>). Get one with
/// <see cref="SharedData.On"/>; inside a service the static <see cref="SharedData"/> methods do the same for its node.
/// </summary>
public sealed class SharedDataClient
{
    readonly SkynetNode _node;

    internal SharedDataClient(SkynetNode node) => _node = node;

    /// <summary>Publishes a new table (skynet's <c>sharedata.new</c>). The value must be immutable: it is shared, never copied.</summary>
    /// <exception cref="CallFailedException">A table of that name exists.</exception>
    public Task<SharedSnapshot> New(string name, object value) => Command<SharedSnapshot>("NEW", Name(name), Value(value));

    /// <summary>The current snapshot of a table, or null when there is none (skynet's <c>sharedata.query</c>).</summary>
    public async Task<SharedSnapshot?> Query(string name) =>
        (SharedSnapshot?)await _node.Call(await Service().ConfigureAwait(false), PType.Lua, new object?[] { "QUERY", Name(name) }).ConfigureAwait(false);

    /// <summary>
    /// Replaces a table's value (skynet's <c>sharedata.update</c>). Readers keep the snapshot they hold; new queries and
    /// the watchers get the new one.
    /// </summary>
    public Task<SharedSnapshot> Update(string name, object value) => Command<SharedSnapshot>("UPDATE", Name(name), Value(value));

    /// <summary>Deletes a table (skynet's <c>sharedata.delete</c>); watchers get a snapshot with <see cref="SharedSnapshot.IsDeleted"/>.</summary>
    /// <returns>False when there was no such table.</returns>
    public Task<bool> Delete(string name) => Command<bool>("DELETE", Name(name));

    /// <summary>
    /// Calls <paramref name="changed"/> inside the running service with every new version of the table (and once with
    /// a deleted snapshot when it is deleted). Dispose-free: the watch ends with the service, or with
    /// <see cref="MulticastChannel.Unsubscribe"/> on the returned channel.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called outside a service.</exception>
    public async Task<MulticastChannel> Watch(string name, Func<SharedSnapshot, ValueTask> changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        if (Skynet.Service.Current is null) throw new InvalidOperationException("Watch from inside the service that should hear of changes.");
        var id = await Command<uint>("CHANNEL", Name(name));
        var channel = new MulticastChannel(_node, id);
        await channel.Subscribe((_, _, message) => changed((SharedSnapshot)message!));
        return channel;
    }

    /// <summary>
    /// Loads a table from a JSON file with System.Text.Json metadata (source-generated: pass
    /// <c>MyJsonContext.Default.MyConfig</c>) and reloads it whenever the file changes. A reload that fails (a half-written
    /// or invalid file) is logged and keeps the current version.
    /// </summary>
    /// <exception cref="CallFailedException">The file cannot be read or parsed, or the table exists.</exception>
    public Task<SharedSnapshot> LoadJson<T>(string name, string path, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Command<SharedSnapshot>("LOAD", Name(name), new SharedFileSource(path, bytes => JsonSerializer.Deserialize(bytes, typeInfo)!));
    }

    /// <summary>Loads a table from a JSON file as a read-only <see cref="JsonElement"/>, reloaded whenever the file changes.</summary>
    public Task<SharedSnapshot> LoadJson(string name, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Command<SharedSnapshot>("LOAD", Name(name), new SharedFileSource(path, static bytes =>
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.Clone(); // owns its memory: the pooled document can go
        }));
    }

    /// <summary>
    /// Loads a table from a MemoryPack binary sheet (skynet's <c>datasheet</c>: a table built offline, loaded as one
    /// blob) and reloads it whenever the file changes, with the snapshot semantics of <see cref="LoadJson{T}"/>: readers
    /// keep the version they hold, new queries and watchers get the new one, and a reload that fails (a truncated,
    /// corrupt or half-copied file) is logged and keeps the current version. Write the file with
    /// <c>MemoryPackSerializer.Serialize(value)</c>; <typeparamref name="T"/> is a <c>[MemoryPackable]</c> type (or a
    /// collection of them) with immutable members, since every reader shares it.
    /// </summary>
    /// <exception cref="CallFailedException">The file cannot be read or is not a <typeparamref name="T"/>, or the table exists.</exception>
    public Task<SharedSnapshot> LoadMemoryPack<T>(string name, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Command<SharedSnapshot>("LOAD", Name(name), new SharedFileSource(path, SharedSheet.Parser<T>(System.IO.Path.GetFullPath(path))));
    }

    async Task<T> Command<T>(params object?[] command) =>
        (T)(await _node.Call(await Service().ConfigureAwait(false), PType.Lua, command).ConfigureAwait(false))!;

    static string Name(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return name;
    }

    static object Value(object value) => value ?? throw new ArgumentNullException(nameof(value), "A shared table cannot be null; use Delete to remove it.");

    // Looked up each time (a dictionary read), so a service restarted after it was killed is found again.
    async ValueTask<Address> Service() =>
        _node.LocalName(SharedDataService.LocalServiceName) ?? await SharedData.Start(_node).ConfigureAwait(false);
}
