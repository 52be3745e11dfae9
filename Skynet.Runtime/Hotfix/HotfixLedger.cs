namespace Skynet.Hotfix;

/// <summary>
/// The patches applied to one scope (one service instance, or one type's type-wide slots), in order. Each slot a
/// patch replaced remembers what it replaced, so patches roll back in any order: removing one from the middle hands
/// its "previous" handler to the next patch on the same slot, and only the newest patch on a slot decides what runs.
/// </summary>
/// <remarks>Not thread-safe: instance ledgers are touched only inside the service's turn, type-wide ones under a lock.</remarks>
sealed class HotfixLedger
{
    readonly List<Entry> _entries = [];

    /// <summary>One applied patch: its code (kept alive by its load context) and the handlers it displaced.</summary>
    public sealed class Entry(HotfixPatch patch, HotfixLoadContext context, Dictionary<int, Delegate> installed)
    {
        public HotfixPatch Patch { get; } = patch;
        public HotfixLoadContext Context { get; } = context;
        public Dictionary<int, Delegate> Installed { get; } = installed;
        public Dictionary<int, Delegate?> Previous { get; } = [];
    }

    /// <summary>Reads and writes the slots of the scope.</summary>
    public interface ISlots
    {
        Delegate? Get(int index);
        void Set(int index, Delegate? handler);
    }

    public int Count => _entries.Count;

    public IReadOnlyList<HotfixPatch> Patches()
    {
        var list = new HotfixPatch[_entries.Count];
        for (var i = 0; i < list.Length; i++) list[i] = _entries[i].Patch;
        return list;
    }

    public void Apply(Entry entry, ISlots slots)
    {
        foreach (var (index, handler) in entry.Installed)
        {
            entry.Previous[index] = slots.Get(index);
            slots.Set(index, handler);
        }
        _entries.Add(entry);
    }

    /// <summary>Removes patch <paramref name="id"/> and restores what it displaced.</summary>
    /// <exception cref="HotfixException">No patch with that id is applied here.</exception>
    public Entry Rollback(int id, ISlots slots, string scope)
    {
        var position = _entries.FindIndex(e => e.Patch.Id == id);
        if (position < 0)
            throw new HotfixException($"No hotfix #{id} is applied to {scope}; applied: {(_entries.Count == 0 ? "none" : string.Join(", ", _entries.Select(e => "#" + e.Patch.Id)))}.");
        var entry = _entries[position];
        foreach (var (index, previous) in entry.Previous)
        {
            var later = _entries.FindIndex(position + 1, e => e.Installed.ContainsKey(index));
            if (later >= 0) _entries[later].Previous[index] = previous;
            else slots.Set(index, previous);
        }
        _entries.RemoveAt(position);
        return entry;
    }
}
