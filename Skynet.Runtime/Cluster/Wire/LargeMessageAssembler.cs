namespace Skynet.ClusterWire;

/// <summary>
/// Puts multi-part messages of one connection back together, by session. Bounded: a message may not announce more
/// than <see cref="MaxMessageSize"/> bytes, parts may not run past what was announced, the last part must complete
/// it exactly, and all unfinished messages together may not hold more than <see cref="MaxBufferedBytes"/>. Memory
/// grows only with bytes that really arrived, never with an announced total.
/// </summary>
/// <typeparam name="TMeta">What the caller keeps beside each message (its target, push flag, trace tag...).</typeparam>
public sealed class LargeMessageAssembler<TMeta>(int maxMessageSize, long maxBufferedBytes)
{
    sealed class Entry(TMeta meta, int total)
    {
        public readonly TMeta Meta = meta;
        public readonly int Total = total;
        public byte[] Buffer = new byte[Math.Min(total, 1 << 16)];
        public int Length;
    }

    readonly Dictionary<int, Entry> _open = [];
    long _buffered;

    /// <summary>The largest message accepted.</summary>
    public int MaxMessageSize { get; } = maxMessageSize;

    /// <summary>The most bytes held for unfinished messages at once.</summary>
    public long MaxBufferedBytes { get; } = maxBufferedBytes;

    /// <summary>Messages begun and not finished.</summary>
    public int OpenCount => _open.Count;

    /// <summary>Starts a message.</summary>
    /// <exception cref="ClusterProtocolException">Too large, or the session already has an unfinished message.</exception>
    public void Begin(int session, int total, TMeta meta)
    {
        if (total > MaxMessageSize) throw new ClusterProtocolException($"a multi-part message announces {total} bytes; the limit is {MaxMessageSize} (ClusterOptions.MaxMessageSize)");
        if (!_open.TryAdd(session, new Entry(meta, total))) throw new ClusterProtocolException($"session {session} began a second multi-part message before finishing the first");
    }

    /// <summary>True when <paramref name="session"/> has an unfinished message.</summary>
    public bool IsOpen(int session) => _open.ContainsKey(session);

    /// <summary>Adds a part; when <paramref name="last"/>, returns the whole message and its metadata.</summary>
    /// <exception cref="ClusterProtocolException">No message was begun for the session, the part overruns it, the last part leaves it short, or the buffer limit is reached.</exception>
    public bool Append(int session, ReadOnlySpan<byte> part, bool last, out TMeta meta, out ReadOnlyMemory<byte> message)
    {
        if (!_open.TryGetValue(session, out var entry)) throw new ClusterProtocolException($"a multi-part piece for session {session}, which began no multi-part message");
        if (part.Length > entry.Total - entry.Length)
            Fail(session, entry, $"multi-part message of session {session} announced {entry.Total} bytes and sends more");
        if (_buffered + part.Length > MaxBufferedBytes)
            Fail(session, entry, $"unfinished multi-part messages would hold more than {MaxBufferedBytes} bytes on one connection");
        if (entry.Buffer.Length < entry.Length + part.Length)
            Array.Resize(ref entry.Buffer, (int)Math.Min(entry.Total, Math.Max((long)entry.Length + part.Length, entry.Buffer.Length * 2L)));
        part.CopyTo(entry.Buffer.AsSpan(entry.Length));
        entry.Length += part.Length;
        _buffered += part.Length;
        if (!last)
        {
            meta = default!;
            message = default;
            return false;
        }
        _open.Remove(session);
        _buffered -= entry.Length;
        if (entry.Length != entry.Total)
            throw new ClusterProtocolException($"multi-part message of session {session} announced {entry.Total} bytes and ended after {entry.Length}");
        meta = entry.Meta;
        message = entry.Buffer.AsMemory(0, entry.Length);
        return true;
    }

    /// <summary>Forgets every unfinished message (the connection closed).</summary>
    public void Clear()
    {
        _open.Clear();
        _buffered = 0;
    }

    void Fail(int session, Entry entry, string reason)
    {
        _open.Remove(session);
        _buffered -= entry.Length;
        throw new ClusterProtocolException(reason);
    }
}
