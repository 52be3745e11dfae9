namespace Skynet;

/// <summary>
/// Maps local ids to services (skynet's handle storage). Ids are handed out in increasing order and wrap only
/// after the whole 24-bit space is used, so a stale address finds nothing for as long as possible; and since
/// mail is queued in the service object, not by id, a reused id can never receive mail meant for the dead one.
/// Lookups are lock-free; registration takes a lock. Local id 1 is reserved for the node's client port (the address
/// replies to calls made from outside the runtime go to); no service ever gets it.
/// </summary>
internal sealed class HandleRegistry
{
    readonly Lock _lock = new();
    readonly uint _harborBits;
    readonly uint _maxLocalId;
    const uint ClientPortId = 1;

    volatile Inbox?[] _slots = new Inbox?[64];
    uint _nextId = ClientPortId + 1;
    int _count;

    public HandleRegistry(int harbor, uint maxLocalId = Address.LocalMask)
    {
        _harborBits = (uint)harbor << Address.HarborShift;
        _maxLocalId = maxLocalId;
    }

    /// <summary>Live services (the client port is not one).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The reserved address of the node's client port.</summary>
    public uint ClientPortHandle => _harborBits | ClientPortId;

    public uint Register(Service service, SkynetNode node, string name)
    {
        lock (_lock)
        {
            if ((uint)_count >= _maxLocalId - 1)
                throw new InvalidOperationException($"All {_maxLocalId - 1} local handles are in use; a node cannot host more services.");
            while (true)
            {
                var slots = _slots;
                for (var tries = 0; tries < slots.Length; tries++)
                {
                    var id = _nextId;
                    _nextId = id >= _maxLocalId ? ClientPortId + 1 : id + 1;
                    var handle = _harborBits | id;
                    ref var slot = ref slots[id & (uint)(slots.Length - 1)];
                    if (slot is null)
                    {
                        // Attach before publishing, so a lock-free Find never sees a service without its handle.
                        service.Attach(node, handle, name);
                        Volatile.Write(ref slot, service.Inbox);
                        _count++;
                        return handle;
                    }
                }
                Grow();
            }
        }
    }

    void Grow()
    {
        var old = _slots;
        var grown = new Inbox?[old.Length * 2];
        foreach (var inbox in old)
            if (inbox is not null) grown[inbox.Handle & Address.LocalMask & (uint)(grown.Length - 1)] = inbox;
        _slots = grown;
    }

    /// <summary>The mailbox at <paramref name="handle"/>: all a sender needs, without touching the service object.</summary>
    public Inbox? FindInbox(uint handle)
    {
        if ((handle & ~Address.LocalMask) != _harborBits) return null;
        var slots = _slots;
        var inbox = slots[handle & (uint)(slots.Length - 1)];
        return inbox is not null && inbox.Handle == handle ? inbox : null;
    }

    public Service? Find(uint handle) => FindInbox(handle)?.Owner;

    public bool Remove(Service service)
    {
        lock (_lock)
        {
            var slots = _slots;
            ref var slot = ref slots[service.Self.LocalId & (uint)(slots.Length - 1)];
            if (!ReferenceEquals(slot, service.Inbox)) return false;
            slot = null;
            _count--;
            return true;
        }
    }

    public List<Service> Snapshot()
    {
        var list = new List<Service>();
        foreach (var inbox in _slots)
            if (inbox is not null) list.Add(inbox.Owner);
        list.Sort(static (a, b) => a.Self.Value.CompareTo(b.Self.Value));
        return list;
    }
}
