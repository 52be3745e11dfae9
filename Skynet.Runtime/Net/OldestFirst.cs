namespace Skynet.Net;

/// <summary>
/// Socket ids in the order they were added, with O(1) add, remove and take-oldest: the pending-handshake tables
/// of the gates and login servers, which close the oldest silent connection to make room for a new one.
/// </summary>
internal sealed class OldestFirst
{
    readonly LinkedList<int> _order = new();
    readonly Dictionary<int, LinkedListNode<int>> _nodes = [];

    public int Count => _nodes.Count;

    public bool Contains(int id) => _nodes.ContainsKey(id);

    public void Add(int id)
    {
        if (!_nodes.ContainsKey(id)) _nodes[id] = _order.AddLast(id);
    }

    public bool Remove(int id)
    {
        if (!_nodes.Remove(id, out var node)) return false;
        _order.Remove(node);
        return true;
    }

    /// <summary>Removes and returns the oldest id, or null when empty.</summary>
    public int? TakeOldest()
    {
        if (_order.First is not { } first) return null;
        _order.RemoveFirst();
        _nodes.Remove(first.Value);
        return first.Value;
    }
}
