using System.Security.Cryptography;

namespace Skynet;

/// <summary>
/// A file a shared table is loaded from: reads and parses it, remembers the hash of the last content it parsed so a
/// save that raises several file events reloads once, and watches the file for changes.
/// </summary>
internal sealed class SharedFileSource(string path, Func<byte[], object> parse) : IDisposable
{
    FileSystemWatcher? _watcher;
    byte[]? _lastHash;

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>Reads and parses the file; <c>changed</c> is false when the bytes are those parsed last time.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="System.Text.Json.JsonException">The content does not parse.</exception>
    public async ValueTask<(object Value, bool Changed)> Read()
    {
        var bytes = await File.ReadAllBytesAsync(Path);
        var hash = SHA256.HashData(bytes);
        if (_lastHash is not null && hash.AsSpan().SequenceEqual(_lastHash)) return (null!, false);
        var value = parse(bytes) ?? throw new System.Text.Json.JsonException($"{Path} holds JSON null, not a table.");
        _lastHash = hash;
        return (value, true);
    }

    /// <summary>Calls <paramref name="changed"/> (on a thread-pool thread) whenever the file may have changed.</summary>
    public void Watch(Action changed)
    {
        var watcher = new FileSystemWatcher(System.IO.Path.GetDirectoryName(Path)!, System.IO.Path.GetFileName(Path))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName | NotifyFilters.CreationTime,
        };
        watcher.Changed += (_, _) => changed();
        watcher.Created += (_, _) => changed();
        watcher.Renamed += (_, _) => changed(); // editors that save by writing a temp file and renaming it over
        watcher.EnableRaisingEvents = true;
        _watcher = watcher;
    }

    public void Dispose() => _watcher?.Dispose();
}
