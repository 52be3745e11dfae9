using System.Collections.Concurrent;

namespace Skynet;

public sealed partial class SkynetNode
{
    readonly ConcurrentDictionary<string, Address> _names = new(StringComparer.Ordinal);

    /// <summary>Gives <paramref name="address"/> the local name <paramref name="name"/> (skynet's <c>skynet.name</c>).</summary>
    /// <exception cref="ArgumentException">The name does not start with '.' (global names need a cluster).</exception>
    /// <exception cref="InvalidOperationException">Another live service already has the name.</exception>
    public void Name(string name, Address address)
    {
        ValidateLocalName(name);
        while (true)
        {
            if (_names.TryAdd(name, address)) return;
            if (!_names.TryGetValue(name, out var holder)) continue;
            if (holder == address) return;
            if (_registry.Find(holder.Value) is not null)
                throw new InvalidOperationException($"The name '{name}' already belongs to {holder}.");
            if (_names.TryUpdate(name, address, holder)) return;
        }
    }

    /// <summary>Looks up a local name (skynet's <c>skynet.localname</c>); null when no live service has it.</summary>
    public Address? LocalName(string name)
    {
        if (!_names.TryGetValue(name, out var address)) return null;
        return _registry.Find(address.Value) is not null ? address : null;
    }

    /// <summary>The local names pointing at <paramref name="address"/>.</summary>
    public IReadOnlyList<string> NamesOf(Address address)
    {
        List<string>? names = null;
        foreach (var (name, holder) in _names)
            if (holder == address) (names ??= []).Add(name);
        names?.Sort(StringComparer.Ordinal);
        return names ?? (IReadOnlyList<string>)[];
    }

    void RemoveNamesOf(Address address)
    {
        if (_names.IsEmpty) return;
        foreach (var (name, holder) in _names)
            if (holder == address) _names.TryRemove(new KeyValuePair<string, Address>(name, holder));
    }

    static void ValidateLocalName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name[0] != '.' || name.Length < 2)
            throw new ArgumentException($"'{name}' is not a local name; local names start with '.', like '.mydb'. Global names need a cluster.", nameof(name));
    }
}
