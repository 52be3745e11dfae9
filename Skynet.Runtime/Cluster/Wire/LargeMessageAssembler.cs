using System.Buffers;

namespace Skynet.ClusterWire;

/// <summary>
/// Puts multi-part messages of one connection back together, by session. Bounded: a message may not announce more
/// than <see cref="MaxMessageSize"/> bytes, parts may not run past what was announced, the last part must complete
/// it exactly, and all unfinished messages together may not hold more than <see cref="MaxBufferedBytes"/>. Memory
/// grows only with bytes that really arrived, never with an announced total.
/// </summary>
/// <remarks>
/// A finished message is one array of exactly its size (the caller may keep it). The first half of a message waits
/// in pooled 64 KiB chunks; once half has arrived, the message's own array is allocated (at most twice what arrived,
/// so still bounded by arrivals), the chunks are copied into it and go back to the pool, and the rest lands there
/// directly. A 1 MiB message thus allocates 1 MiB, where growing one array by doubling allocated about twice that.
/// </remarks>
/// <typeparam name="TMeta">What the caller keeps beside each message (its target, push flag, trace tag...).</typeparam>
public sealed class LargeMessageAssembler<TMeta>(int maxMessageSize, long maxBufferedBytes)
{
    const int ChunkSize = 1 << 16;

    sealed class Entry(TMeta meta, int total)
    {
        public readonly TMeta Meta = meta;
        public readonly int Total = total;
        public readonly List<byte[]> Chunks = [];
        public byte[]? Whole = total == 0 ? [] : null;
        public int Length;

        public void Append(ReadOnlySpan<byte> part)
        {
            if (Whole is null && (long)(Length + part.Length) * 2 >= Total) Settle();
            if (Whole is not null)
            {
                part.CopyTo(Whole.AsSpan(Length));
                Length += part.Length;
                return;
            }
            while (part.Length > 0)
            {
                var used = Length % ChunkSize;
                if (used == 0) Chunks.Add(ArrayPool<byte>.Shared.Rent(ChunkSize));
                var take = Math.Min(part.Length, ChunkSize - used);
                part[..take].CopyTo(Chunks[^1].AsSpan(used));
                part = part[take..];
                Length += take;
            }
        }

        // Moves what arrived so far into the message's own array.
        void Settle()
        {
            Whole = GC.AllocateUninitializedArray<byte>(Total);
            for (var i = 0; i < Chunks.Count; i++)
                Chunks[i].AsSpan(0, Math.Min(ChunkSize, Length - i * ChunkSize)).CopyTo(Whole.AsSpan(i * ChunkSize));
            Release();
        }

        public void Release()
        {
            foreach (var chunk in Chunks) ArrayPool<byte>.Shared.Return(chunk);
            Chunks.Clear();
        }
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
        if (total < 0) throw new ClusterProtocolException($"a multi-part message announces {total} bytes");
        if (!_open.TryAdd(session, new Entry(meta, total))) throw new ClusterProtocolException($"session {session} began a second multi-part message before finishing the first");
    }

    /// <summary>True when <paramref name="session"/> has an unfinished message.</summary>
    public bool IsOpen(int session) => _open.ContainsKey(session);

    /// <summary>Adds a part; when <paramref name="last"/>, returns the whole message (an array of exactly its size) and its metadata.</summary>
    /// <exception cref="ClusterProtocolException">No message was begun for the session, the part overruns it, the last part leaves it short, or the buffer limit is reached.</exception>
    public bool Append(int session, ReadOnlySpan<byte> part, bool last, out TMeta meta, out ReadOnlyMemory<byte> message)
    {
        if (!_open.TryGetValue(session, out var entry)) throw new ClusterProtocolException($"a multi-part piece for session {session}, which began no multi-part message");
        if (part.Length > entry.Total - entry.Length)
            Fail(session, entry, $"multi-part message of session {session} announced {entry.Total} bytes and sends more");
        if (_buffered + part.Length > MaxBufferedBytes)
            Fail(session, entry, $"unfinished multi-part messages would hold more than {MaxBufferedBytes} bytes on one connection");
        entry.Append(part);
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
        {
            entry.Release();
            throw new ClusterProtocolException($"multi-part message of session {session} announced {entry.Total} bytes and ended after {entry.Length}");
        }
        meta = entry.Meta;
        message = entry.Whole;
        return true;
    }

    /// <summary>Forgets every unfinished message (the connection closed).</summary>
    public void Clear()
    {
        foreach (var entry in _open.Values) entry.Release();
        _open.Clear();
        _buffered = 0;
    }

    void Fail(int session, Entry entry, string reason)
    {
        _open.Remove(session);
        _buffered -= entry.Length;
        entry.Release();
        throw new ClusterProtocolException(reason);
    }
}
