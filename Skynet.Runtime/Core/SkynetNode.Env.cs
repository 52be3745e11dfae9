using System.Collections.Concurrent;

namespace Skynet;

public sealed partial class SkynetNode
{
    readonly ConcurrentDictionary<string, string> _env = new(StringComparer.Ordinal);

    /// <summary>Reads an environment value (skynet's <c>skynet.getenv</c>); null when unset.</summary>
    public string? GetEnv(string key) => _env.TryGetValue(key, out var value) ? value : null;

    /// <summary>Sets an environment value; each key can be set once (skynet's <c>skynet.setenv</c>).</summary>
    /// <exception cref="InvalidOperationException">The key already has a value.</exception>
    public void SetEnv(string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        if (!_env.TryAdd(key, value))
            throw new InvalidOperationException($"The environment key '{key}' is already set to '{_env[key]}'; skynet's environment values are set once.");
    }
}
