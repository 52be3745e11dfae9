namespace Skynet;

/// <summary>
/// The local subscribers of one channel: a dense list to walk on every publish and an index for O(1) removal
/// (the last member takes the removed one's slot; delivery order across subscribers means nothing).
/// </summary>
internal sealed class MulticastGroup
{
    readonly List<Address> _members = [];
    readonly Dictionary<Address, int> _index = [];

    public int Count => _members.Count;

    public Address this[int i] => _members[i];

    public bool Add(Address member)
    {
        if (!_index.TryAdd(member, _members.Count)) return false;
        _members.Add(member);
        return true;
    }

    public bool Remove(Address member)
    {
        if (!_index.Remove(member, out var slot)) return false;
        var last = _members.Count - 1;
        if (slot != last)
        {
            var moved = _members[last];
            _members[slot] = moved;
            _index[moved] = slot;
        }
        _members.RemoveAt(last);
        return true;
    }
}
